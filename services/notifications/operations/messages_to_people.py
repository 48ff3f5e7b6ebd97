"""Messages from the programme team to people: an exchange's confirmed participants or waiting
list, a theme's or the whole programme's confirmed participants.

The sender writes the message in English and in Welsh; each person gets it in the language they
applied in, as one pending message each (operations/messages.py), which the send job delivers and
the delivery log shows. Who is in an audience is read from notifications' own projections of
registration's bookings and exchanges: never from registration's tables.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.errors import ApiError
from shared.manage_tokens import manage_link

from ..config import MailSettings
from ..models import Booking, Exchange
from ..models.booking import CONFIRMED, WAITLISTED
from . import links
from .messages import queue_message

EXCHANGE_CONFIRMED, EXCHANGE_WAITING, THEME, PROGRAMME = "exchange_confirmed", "exchange_waiting", "theme", "programme"
KINDS = (EXCHANGE_CONFIRMED, EXCHANGE_WAITING, THEME, PROGRAMME)
TEMPLATE = "message_to_people"
TEXTS = ("subject", "subject_cy", "body", "body_cy")


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    application_id: int


def recipients(session: Session, audience: dict) -> list[Recipient]:
    """Everyone the audience names, once each by email (case aside), with the name, language and
    manage link of their latest booking in it; 422 for an exchange or theme not known here."""
    query = select(Booking)
    kind = audience["kind"]
    if kind in (EXCHANGE_CONFIRMED, EXCHANGE_WAITING):
        if session.get(Exchange, audience["id"]) is None:
            raise ApiError(422, _("Choose an exchange from the list"), fields={"audience.id": [
                _("Choose an exchange from the list")]})
        status = CONFIRMED if kind == EXCHANGE_CONFIRMED else WAITLISTED
        query = query.where(Booking.exchange_id == audience["id"], Booking.status == status)
    elif kind == THEME:
        if session.scalar(select(Exchange.id).where(Exchange.theme == audience["code"]).limit(1)) is None:
            raise ApiError(422, _("Choose a theme from the list"), fields={"audience.code": [
                _("Choose a theme from the list")]})
        query = query.join(Exchange, Exchange.id == Booking.exchange_id).where(
            Exchange.theme == audience["code"], Booking.status == CONFIRMED)
    else:
        query = query.where(Booking.status == CONFIRMED)
    people: dict[str, Recipient] = {}
    for booking in session.scalars(query.order_by(Booking.id)):  # the latest booking wins
        people[booking.email.casefold()] = Recipient(booking.email, booking.name, booking.language,
                                                     booking.application_id)
    return sorted(people.values(), key=lambda r: r.email.casefold())


def languages(people: list[Recipient]) -> dict[str, int]:
    """How many will read it in English and how many in Welsh (the preview says so)."""
    return {"en": sum(p.language != "cy" for p in people), "cy": sum(p.language == "cy" for p in people)}


def send(session: Session, mail: MailSettings, audience: dict, texts: dict, staff) -> int:
    """Queue the message for everyone in the audience; returns how many were queued.

    The same message to the same audience is one event: sending it again (a second press of the
    button, a retried request) queues it only for people who have not had it yet. Nobody in the
    audience is a 422 and records nothing."""
    people = recipients(session, audience)
    if not people:
        raise ApiError(422, _("Nobody is in this group yet, so there is no one to send the message to"),
                       code="no_recipients")
    event_id = "message:" + _fingerprint(audience, texts)
    queued = 0
    for person in people:
        link = links.known(session, person.application_id)
        welsh = person.language == "cy"
        message = queue_message(
            session, mail, event_id=event_id, to=person.email, template=TEMPLATE, language=person.language,
            context={"name": person.name, "subject": texts["subject_cy" if welsh else "subject"],
                     "body": texts["body_cy" if welsh else "body"],
                     "manage_url": manage_link(links.masked_token(link), mail.public_url) if link else None},
            link_of=link.application_id if link else None)
        queued += message is not None
    audit.record(session, staff, "message.sent", ("message", event_id), None,
                 {"audience": _audience_words(audience), "subject": texts["subject"], "queued": queued})
    return queued


def _fingerprint(audience: dict, texts: dict) -> str:
    what = json.dumps({"audience": _audience_words(audience), **{k: texts[k] for k in TEXTS}}, sort_keys=True)
    return hashlib.sha256(what.encode()).hexdigest()[:48]


def _audience_words(audience: dict) -> str:
    """`exchange_confirmed:7`, `theme:T1`, `programme`: the audience as the audit log keeps it."""
    kind = audience["kind"]
    if kind in (EXCHANGE_CONFIRMED, EXCHANGE_WAITING):
        return f"{kind}:{audience['id']}"
    return f"theme:{audience['code']}" if kind == THEME else kind


def choices(session: Session) -> tuple[list[Exchange], list[str]]:
    """The exchanges and themes a sender may choose from, soonest and alphabetical."""
    exchanges = list(session.scalars(select(Exchange).order_by(Exchange.starts_at, Exchange.id)))
    themes = sorted({e.theme for e in exchanges if e.theme})
    return exchanges, themes
