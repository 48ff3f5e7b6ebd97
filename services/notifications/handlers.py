"""What notifications does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it records messages (pending) and
reminders, and never talks to SMTP nor commits itself. An event lacking something its message
needs raises `MissingField`, naming the field: the consumer dead-letters it after its retries.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.events import (
    ATTENDANCE_RECORDED,
    BOOKING_EVENTS,
    CLAIM_EVENTS,
    EXCHANGE_EVENTS,
    PACK_GENERATED,
    SUMMARY_EVENTS,
)
from shared.projections import event_time
from shared.service import Handler

from . import reminders
from .bookings import lock_booked_exchanges, on_booking
from .brief import ExchangeView
from .config import for_session
from .messages import queue_message
from .models import Booking
from .models.booking import CONFIRMED
from .projections import record_exchange
from .rendering import MissingField


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
    queue_message(
        session, mail, event_id=envelope["id"], to=data["claimant_email"], template=f"claim_{status}",
        file="claim", language=data["language"],
        context={"name": data.get("claimant_name"), "status": status, "total": _pounds(data["total_pence"]),
                 "about": f" ({title})" if title else "", "question": data.get("reason"),
                 "reason": data.get("reason"), "claim_url": mail.link(data.get("url"))})


def on_summary(session: Session, envelope: dict, data: dict) -> None:
    status = envelope["type"].rpartition(".")[2]
    if not data.get("recipients"):
        raise MissingField(envelope["type"], "recipients")
    if status == "returned" and not data.get("comment"):
        raise MissingField(envelope["type"], "comment")
    mail = for_session(session)
    for recipient in data["recipients"]:
        queue_message(
            session, mail, event_id=envelope["id"], to=recipient, template=f"summary_{status}", file="summary",
            language=data.get("language") or "en",
            context={"name": None, "status": status,
                     "title": data.get("title") or _l("exchange %(id)s", id=data["exchange_id"]),
                     "version": data["version"], "comment": data.get("comment"),
                     "summary_url": mail.link(data.get("url"))})


def on_pack(session: Session, envelope: dict, data: dict) -> None:
    if not data.get("recipients"):
        raise MissingField(envelope["type"], "recipients")
    mail = for_session(session)
    for recipient in data["recipients"]:
        queue_message(
            session, mail, event_id=envelope["id"], to=recipient, template="pack_ready",
            language=data.get("language") or "en",
            context={"name": None, "title": data.get("title") or data["theme"], "pages": data["pages"],
                     "pack_url": mail.link(data.get("url"))})


def _pounds(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


HANDLERS: tuple[Handler, ...] = (
    Handler("bookings", BOOKING_EVENTS, on_booking, prepare=lock_booked_exchanges),
    Handler("exchanges", EXCHANGE_EVENTS, on_exchange),
    Handler("attendance", (ATTENDANCE_RECORDED,), on_attendance),
    Handler("claims", CLAIM_EVENTS, on_claim),
    Handler("summaries", SUMMARY_EVENTS, on_summary),
    Handler("packs", (PACK_GENERATED,), on_pack),
)
