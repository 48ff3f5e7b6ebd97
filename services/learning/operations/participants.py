"""What participants do through their manage link: reflections, feedback, and reading and signing
their exchange's summary (the summary is co-written: a participant may put their name to it).

A participant is recognised by the sha256 of their manage token, which registration puts on its
booking events (`manage_token_hash`); the token itself never reaches learning's database.
Feedback is taken only from someone whose attendance was recorded; a second one replaces the first.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import ApiError
from shared.i18n import current_language
from shared.manage_tokens import holder

from ..models import (
    Applicant,
    Attendance,
    Booking,
    Exchange,
    Feedback,
    Reflection,
    SummarySignature,
)
from ..packs.requests import request_rebuild


def applicant_for(session: Session, token: str | None) -> Applicant:
    """The applicant holding this manage token; 404 for an unknown one (never saying more)."""
    applicant = holder(session, Applicant, token)
    if applicant is None:
        raise ApiError(404, _("We could not find your booking. Use the link in your confirmation email."),
                       code="not_found")
    return applicant


def attended_exchanges(session: Session, applicant: Applicant) -> set[int]:
    return set(session.scalars(select(Attendance.exchange_id).where(
        Attendance.application_id == applicant.id, Attendance.stage == "exchange", Attendance.attended.is_(True))))


def booked_exchanges(session: Session, applicant: Applicant) -> list[Exchange]:
    """The exchanges they hold (or held) a confirmed place on, soonest first."""
    return list(session.scalars(
        select(Exchange).join(Booking, Booking.exchange_id == Exchange.id)
        .where(Booking.application_id == applicant.id, Booking.status == "confirmed")
        .order_by(Exchange.starts_at)))


def save_reflection(session: Session, applicant: Applicant, data: dict) -> Reflection:
    exchange_id = data["exchange_id"]
    if exchange_id not in attended_exchanges(session, applicant) and exchange_id not in {
            e.id for e in booked_exchanges(session, applicant)}:
        raise ApiError(403, _("You can add a reflection only on an exchange you have a place on."),
                       code="not_a_participant")
    row = session.get(Reflection, (exchange_id, applicant.id))
    if row is None:
        row = Reflection(exchange_id=exchange_id, application_id=applicant.id)
        session.add(row)
    row.text = data["text"].strip()
    row.credit_as = data["credit_as"].strip()
    row.language = current_language()  # the language of the page they wrote it on
    row.folded_in = False
    session.flush()
    return row


def give_feedback(session: Session, applicant: Applicant, data: dict) -> tuple[Feedback, bool]:
    """Record (or replace) their feedback; returns it and whether it replaced an earlier one."""
    attended = attended_exchanges(session, applicant)
    about = data["about"]
    exchange_id = int(about.split(":")[1]) if about.startswith("exchange:") else None
    if exchange_id is not None and exchange_id not in attended:
        raise ApiError(403, _("Feedback on an exchange can be given only by someone who attended it."),
                       code="not_attended")
    if exchange_id is None and not attended:
        raise ApiError(403, _("Feedback on the conference can be given only by someone who took part in the programme."),
                       code="not_attended")
    row = session.scalar(select(Feedback).where(Feedback.application_id == applicant.id, Feedback.about == about))
    replaced = row is not None
    if row is None:
        row = Feedback(application_id=applicant.id, about=about, exchange_id=exchange_id)
        session.add(row)
    row.would_recommend = data["would_recommend"]
    row.rating = data["rating"]
    comment = data["comment"].strip()
    if comment != row.comment:
        row.in_pack = False  # a theme lead picked the words they wrote before, not these
    row.comment = comment
    row.language = current_language()
    session.flush()
    return row, replaced


def reflections_on(session: Session, exchange_id: int) -> list[Reflection]:
    return list(session.scalars(select(Reflection).where(Reflection.exchange_id == exchange_id)
                                .order_by(Reflection.updated_at)))


def feedback_of(session: Session, applicant: Applicant) -> dict[str, Feedback]:
    return {f.about: f for f in session.scalars(select(Feedback).where(Feedback.application_id == applicant.id))}


def participant_exchange(session: Session, applicant: Applicant, exchange_id: int) -> Exchange:
    """An exchange they have (or had) a confirmed place on, or attended; 404 for any other (never
    saying whether it exists)."""
    exchange = session.get(Exchange, exchange_id)
    if exchange is None or (exchange_id not in attended_exchanges(session, applicant)
                            and exchange_id not in {e.id for e in booked_exchanges(session, applicant)}):
        raise ApiError(404, _("We could not find that exchange among yours."), code="not_found")
    return exchange


def signatures_on(session: Session, exchange_id: int) -> list[SummarySignature]:
    """Participants who put their name to the exchange's summary, first signed first."""
    return list(session.scalars(select(SummarySignature).where(SummarySignature.exchange_id == exchange_id)
                                .order_by(SummarySignature.signed_at, SummarySignature.application_id)))


def signature_of(session: Session, applicant: Applicant, exchange_id: int) -> SummarySignature | None:
    return session.get(SummarySignature, (exchange_id, applicant.id))


def sign_summary(session: Session, applicant: Applicant, exchange: Exchange, summary, name: str) -> SummarySignature:
    """Their name on the summary, as they wish it shown (signing again changes it). A summary not
    yet written cannot be signed (409)."""
    if summary is None or not summary.latest_version:
        raise ApiError(409, _("The host has not written the summary yet, so there is nothing to sign."),
                       code="no_summary")
    row = signature_of(session, applicant, exchange.id)
    if row is None:
        row = SummarySignature(exchange_id=exchange.id, application_id=applicant.id)
        session.add(row)
    row.name = name
    _rebuild_if_in_packs(session, exchange, summary)
    session.flush()
    return row


def unsign_summary(session: Session, applicant: Applicant, exchange: Exchange, summary) -> None:
    row = signature_of(session, applicant, exchange.id)
    if row is not None:
        session.delete(row)
        _rebuild_if_in_packs(session, exchange, summary)
        session.flush()


def _rebuild_if_in_packs(session: Session, exchange: Exchange, summary) -> None:
    """The pack names who signed an approved summary: a change there makes a fresh pack."""
    if summary is not None and summary.approved_version:
        request_rebuild(session, exchange.theme)
