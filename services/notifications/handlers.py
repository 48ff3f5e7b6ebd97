"""What notifications does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it records messages (pending) and
reminders, and never talks to SMTP nor commits itself. An event lacking something its message
needs raises `MissingField`, naming the field: the consumer dead-letters it after its retries.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import programme_projection, staff_projection
from shared.events import (
    APPLICATION_SUBMITTED,
    ATTENDANCE_RECORDED,
    BOOKING_EVENTS,
    CLAIM_EVENTS,
    EXCHANGE_EVENTS,
    LINK_REPLACED,
    PACK_GENERATED,
    PAYMENT_RUN_CREATED,
    STAFF_INVITED,
    STAFF_RESET_REQUESTED,
    SUMMARY_EVENTS,
)
from shared.manage_tokens import expenses_link, manage_link, password_link
from shared.projections import event_time
from shared.service import Handler

from .config import MailSettings, for_session
from .models import Booking
from .models.booking import CONFIRMED
from .operations import links, reminders
from .operations.applications import on_application
from .operations.bookings import lock_booked_exchanges, on_booking
from .operations.brief import ExchangeView
from .operations.messages import queue_message
from .operations.projections import record_exchange
from .operations.rendering import MissingField


def on_exchange(session: Session, envelope: dict, data: dict) -> None:
    """Keep the exchange's times; when they change, its reminders move with them."""
    row, moved = record_exchange(session, data["id"], data, event_time(envelope))
    if moved:
        reminders.reschedule_exchange(session, ExchangeView.from_row(row), for_session(session))


def on_attendance(session: Session, envelope: dict, data: dict) -> None:
    """Someone recorded as absent from the exchange is not asked to reflect on it or rate it."""
    if data["stage"] != "exchange" or data["attended"]:
        return
    booking = session.scalar(select(Booking).where(
        Booking.exchange_id == data["exchange_id"], Booking.application_id == data["application_id"],
        Booking.status == CONFIRMED))
    if booking is not None:
        reminders.cancel(session, booking.id, kinds=("reflection", reminders.FEEDBACK))


def on_claim(session: Session, envelope: dict, data: dict) -> None:
    status = envelope["type"].rpartition(".")[2]
    mail = for_session(session)
    needs = {"queried": "reason", "rejected": "reason"}
    if status in needs and not data.get(needs[status]):
        raise MissingField(envelope["type"], needs[status])
    title = data.get("exchange_title")
    link = links.known(session, data["application_id"]) if data.get("application_id") else None
    queue_message(
        session, mail, event_id=envelope["id"], to=data["claimant_email"], template=f"claim_{status}",
        file="claim", language=data["language"], link_of=link.application_id if link else None,
        context={"name": data.get("claimant_name"), "status": status, "total": _pounds(data["total_pence"]),
                 "about": f" ({title})" if title else "", "question": data.get("reason"),
                 "reason": data.get("reason"), "claim_url": _claim_url(mail, link, data),
                 "reference": data.get("claim_id")})
    if status == "submitted":
        _tell_finance(session, mail, envelope, data, title)


#: finance's page of one claim (expenses' `finance.claim`)
FINANCE_CLAIM_PATH = "/expenses/finance/claims/{claim_id}"


def _tell_finance(session: Session, mail: MailSettings, envelope: dict, data: dict, title: str | None) -> None:
    """A claim sent (or answered after a query) waits for finance: each active finance account is
    told, in the language on its account, except the claimant's own (nobody decides their own
    claim). The claimant's name stays out of it: the reference and the link are enough."""
    claimant = data["claimant_email"].lower()
    for email, language in staff_projection.finance_contacts(session):
        if email == claimant:
            continue
        queue_message(
            session, mail, event_id=envelope["id"], to=email, template="claim_to_decide", language=language,
            context={"name": None, "reference": data["claim_id"], "total": _pounds(data["total_pence"]),
                     "about": f" ({title})" if title else "",
                     "claim_url": mail.link(FINANCE_CLAIM_PATH.format(claim_id=data["claim_id"]))})


def on_payment_run(session: Session, envelope: dict, data: dict) -> None:
    """A new payment run needs a second finance user's approval: every other active finance account
    is asked, in the language on its account (its maker may not approve it, so is not asked)."""
    mail = for_session(session)
    for email, language in staff_projection.finance_contacts(session, but=data["made_by"]):
        queue_message(
            session, mail, event_id=envelope["id"], to=email, template="payment_run_to_approve", language=language,
            context={"name": None, "reference": data["run_id"], "claims": data["claims"],
                     "total": _pounds(data["total_pence"]), "run_url": mail.link(data["url"])})


def _claim_url(mail, link, data: dict) -> str | None:
    """The claimant's page for the claim, through their manage link (masked here; the sender puts the
    working one in). Without a known link, the path the event gave, if any."""
    if link is None:
        return mail.link(data.get("url"))
    return f"{expenses_link(links.masked_token(link), mail.public_url)}/claims/{data['claim_id']}"


def on_summary(session: Session, envelope: dict, data: dict) -> None:
    """Tell the summary's recipients (the theme's notify list, the exchange's hosts), each in the
    language on their account (the event's for an address with no account). An empty list is no
    fault: nobody is to be told (a theme with no one to notify), so nothing is sent; an event with
    no list at all cannot say who, and is dead-lettered."""
    status = envelope["type"].rpartition(".")[2]
    if data.get("recipients") is None:
        raise MissingField(envelope["type"], "recipients")
    if status == "returned" and not data.get("comment"):
        raise MissingField(envelope["type"], "comment")
    mail = for_session(session)
    for recipient in data["recipients"]:
        queue_message(
            session, mail, event_id=envelope["id"], to=recipient, template=f"summary_{status}", file="summary",
            language=staff_projection.language_of(session, recipient, default=data.get("language") or "en"),
            context={"name": None, "status": status,
                     "title": data.get("title") or _l("exchange %(id)s", id=data["exchange_id"]),
                     "version": data["version"], "comment": data.get("comment"),
                     "summary_url": mail.link(data.get("url"))})


def on_pack(session: Session, envelope: dict, data: dict) -> None:
    """Tell the pack's recipients, in the pack's language: learning names only those whose account
    is in that language, so each is told once, of the pack they read."""
    if data.get("recipients") is None:
        raise MissingField(envelope["type"], "recipients")
    mail = for_session(session)
    for recipient in data["recipients"]:
        queue_message(
            session, mail, event_id=envelope["id"], to=recipient, template="pack_ready",
            language=data.get("language") or "en",
            context={"name": None, "title": data.get("title") or data["theme"], "pages": data["pages"],
                     "pack_url": mail.link(data.get("url"))})


def on_staff_link(session: Session, envelope: dict, data: dict) -> None:
    """A set-password link for a member of staff, in their account's language: the invitation
    (`staff_invitation`, 7 days) or a reset they asked for (`password_reset`, 1 hour)."""
    mail = for_session(session)
    template = "staff_invitation" if envelope["type"] == STAFF_INVITED else "password_reset"
    queue_message(
        session, mail, event_id=envelope["id"], to=data["email"], template=template, language=data["language"],
        context={"name": data["name"], "link": password_link(data["token"], mail.public_url),
                 "expires_at": data["expires_at"], "sign_in_url": mail.link("/registration/login")})


def on_link_replaced(session: Session, envelope: dict, data: dict) -> None:
    """An application's new manage link: kept (sealed) for every later message, and emailed, masked
    here and working in the copy that goes out. A replacement older than the link known (a
    redelivery after a newer one) keeps the newer link, and its email then carries that."""
    mail = for_session(session)
    known = links.remember(session, data["application_id"], event_time(envelope), data["manage_token_sealed"])
    if known is None:
        raise MissingField(envelope["type"], "manage_token_sealed")
    applicant = data["applicant"]
    queue_message(
        session, mail, event_id=envelope["id"], to=applicant["email"], template="new_link",
        language=applicant["language"], link_of=data["application_id"],
        context={"name": applicant["name"], "reason": data["reason"],
                 "manage_url": manage_link(links.masked_token(known), mail.public_url)})


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


HANDLERS: tuple[Handler, ...] = (
    Handler("bookings", BOOKING_EVENTS, on_booking, prepare=lock_booked_exchanges),
    Handler("applications", (APPLICATION_SUBMITTED,), on_application),
    Handler("exchanges", EXCHANGE_EVENTS, on_exchange),
    Handler("attendance", (ATTENDANCE_RECORDED,), on_attendance),
    Handler("claims", CLAIM_EVENTS, on_claim),
    Handler("payment-runs", (PAYMENT_RUN_CREATED,), on_payment_run),
    Handler("summaries", SUMMARY_EVENTS, on_summary),
    Handler("packs", (PACK_GENERATED,), on_pack),
    Handler("staff_links", (STAFF_INVITED, STAFF_RESET_REQUESTED), on_staff_link),
    Handler("manage-links", (LINK_REPLACED,), on_link_replaced),
    staff_projection.HANDLER,
    programme_projection.HANDLER,
    staff_projection.CONTACTS_HANDLER,
)
