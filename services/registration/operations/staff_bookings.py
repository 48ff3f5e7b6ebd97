"""The programme team changes a booking for someone who phoned: cancels it, or moves it to another
exchange (a confirmed place there if one is free to them, else the end of its waiting list). A
reason is required; it goes to the audit log and to the person, whom notifications tells by email
(`registration.booking.cancelled` with `reason`, and for a move `moved_to`, then the new booking's
own `confirmed` or `waitlisted`). The waiting list of the exchange left is promoted as usual."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.db import utcnow
from shared.errors import ApiError
from shared.events import BOOKING_CANCELLED, BOOKING_CONFIRMED, BOOKING_WAITLISTED
from shared.outbox import emit

from ..models import ACTIVE, Application, Booking, Exchange
from .allocation import (
    _booking_data,
    _free_places_for,
    _insert_booking,
    _move_counters,
    promote_waitlisted,
)
from .catalogue import exchange_brief, lock_exchanges

#: the longest reason kept (it is written into the person's email)
MAX_REASON = 1000


@dataclass(frozen=True)
class Moved:
    """Where a moved booking went: the new booking (confirmed or waitlisted) and the old one."""

    old: Booking
    new: Booking


def booking_or_404(session: Session, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise ApiError(404, _("There is no booking with that number."), code="not_found")
    return booking


def cancel_for(session: Session, booking_id: int, reason: str, staff, now: datetime | None = None) -> Booking:
    """Cancel an active booking on the person's behalf. 409 when it is already cancelled; 422 (field
    `reason`) without a reason."""
    now = now or utcnow()
    reason = _reason(reason)
    booking = booking_or_404(session, booking_id)
    exchange = lock_exchanges(session, [booking.exchange_id])[booking.exchange_id]
    application = _active(session, booking)
    _cancel(session, booking, application, exchange, reason, None, now)
    audit.record(session, staff, "booking.cancelled", ("booking", booking.id),
                 {"exchange_id": exchange.id, "email": application.email, "status": _status_before(booking)},
                 {"exchange_id": exchange.id, "email": application.email, "status": "cancelled", "reason": reason})
    promote_waitlisted(session, exchange, now)
    return booking


def move_for(session: Session, booking_id: int, to_exchange_id: int, reason: str, staff,
             now: datetime | None = None) -> Moved:
    """Move an active booking to another exchange: a confirmed place there if one is free to this
    person (reserved places count as at application), else the end of its waiting list. A closed
    exchange is no bar: the programme team decides. 409 when the booking is cancelled or the person
    already holds a booking there; 422 (`exchange_id`) for the same or an unknown exchange, or a draft."""
    now = now or utcnow()
    reason = _reason(reason)
    booking = booking_or_404(session, booking_id)
    if to_exchange_id == booking.exchange_id:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"exchange_id": [_("Choose a different exchange from the one booked.")]})
    exchanges = lock_exchanges(session, sorted({booking.exchange_id, to_exchange_id}))  # in id order: no deadlock
    target = exchanges.get(to_exchange_id)
    if target is None or target.draft:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"exchange_id": [_("Choose an exchange from the list.")]})
    application = _active(session, booking)
    was = _status_before(booking)
    new = Booking(application_id=application.id, exchange_id=target.id, email_folded=application.email_folded,
                  created_at=now, updated_at=now)
    if _free_places_for(session, target, application.participant_type, now) > 0:
        _move_counters(session, target, confirmed=+1)
        new.status, new.waitlist_position = "confirmed", None
    else:
        _move_counters(session, target, waiting=+1)
        new.status, new.waitlist_position = "waitlisted", target.waitlist_length
    new.id = _insert_booking(session, new)
    if new.id is None:
        raise ApiError(409, _("This person already has a booking on that exchange."), code="already_booked")
    _cancel(session, booking, application, exchanges[booking.exchange_id], reason, target, now)
    data = _booking_data(new.id, application, target, None)
    data["waitlist_position"] = new.waitlist_position
    emit(session, BOOKING_CONFIRMED if new.status == "confirmed" else BOOKING_WAITLISTED, data)
    audit.record(session, staff, "booking.moved", ("booking", booking.id),
                 {"exchange_id": booking.exchange_id, "email": application.email, "status": was},
                 {"exchange_id": target.id, "email": application.email, "status": new.status,
                  "booking_id": new.id, "reason": reason})
    promote_waitlisted(session, exchanges[booking.exchange_id], now)
    return Moved(booking, new)


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"reason": [_("Enter the reason, as the person gave it or as you will tell them.")]})
    if len(text) > MAX_REASON:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"reason": [_("Enter the reason in %(n)d characters or fewer.", n=MAX_REASON)]})
    return text


def _active(session: Session, booking: Booking) -> Application:
    session.refresh(booking)  # as committed, now that its exchange is locked
    if booking.status not in ACTIVE:
        raise ApiError(409, _("This booking is already cancelled."), code="already_cancelled")
    return session.get(Application, booking.application_id)


def _status_before(booking: Booking) -> str:
    return booking.status if booking.status != "waitlisted" else f"waitlisted:{booking.waitlist_position}"


def _cancel(session: Session, booking: Booking, application: Application, exchange: Exchange, reason: str,
            moved_to: Exchange | None, now: datetime) -> None:
    was_confirmed = booking.status == "confirmed"
    booking.status, booking.waitlist_position, booking.updated_at = "cancelled", None, now
    session.flush()
    _move_counters(session, exchange, **({"confirmed": -1} if was_confirmed else {"waiting": -1}))
    data = _booking_data(booking.id, application, exchange, None)
    data["reason"] = reason
    data["moved_to"] = exchange_brief(moved_to) if moved_to is not None else None
    emit(session, BOOKING_CANCELLED, data)


def waiting_list(session: Session, exchange_id: int) -> list[tuple[Booking, Application]]:
    """The exchange's waiting list in order (1 is next)."""
    return list(session.execute(
        select(Booking, Application).join(Application, Application.id == Booking.application_id)
        .where(Booking.exchange_id == exchange_id, Booking.status == "waitlisted")
        .order_by(Booking.waitlist_position, Booking.id)).all())
