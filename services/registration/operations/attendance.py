"""Attendance: hosts record who came to each stage; and the list of each exchange's participants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.db import utcnow
from shared.errors import ApiError
from shared.events import ATTENDANCE_RECORDED
from shared.outbox import emit

from ..models import ACTIVE, Application, Attendance, Booking, Exchange

STAGES = ("orientation", "exchange", "reflection")


@dataclass(frozen=True)
class Participant:
    """One active booking on an exchange, with its applicant and recorded attendance
    (`attendance[stage]` is True, False or None when not recorded)."""

    booking: Booking
    application: Application
    attendance: dict[str, bool | None]


def participants(session: Session, exchange_id: int, include_waitlist: bool = True) -> list[Participant]:
    """Confirmed bookings first (by when they booked), then the waiting list in order."""
    if session.get(Exchange, exchange_id) is None:
        raise ApiError(404, _("There is no exchange with that number."), code="not_found")
    statuses = ACTIVE if include_waitlist else ("confirmed",)
    rows = session.execute(
        select(Booking, Application).join(Application, Application.id == Booking.application_id)
        .where(Booking.exchange_id == exchange_id, Booking.status.in_(statuses))
        .order_by(Booking.status, Booking.waitlist_position, Booking.id)).all()
    booking_ids = [booking.id for booking, _application in rows]
    recorded: dict[int, dict[str, bool]] = {}
    for row in session.scalars(select(Attendance).where(Attendance.booking_id.in_(booking_ids))):
        recorded.setdefault(row.booking_id, {})[row.stage] = row.attended
    return [Participant(booking, application, {stage: recorded.get(booking.id, {}).get(stage) for stage in STAGES})
            for booking, application in rows]


def stage_starts(exchange: Exchange, stage: str) -> datetime | None:
    """When the stage of this exchange starts (None for a session the exchange does not have)."""
    return {"orientation": exchange.orientation_starts_at, "exchange": exchange.starts_at,
            "reflection": exchange.reflection_starts_at}[stage]


def record_attendance(session: Session, exchange_id: int, email: str, stage: str, attended: bool,
                      staff_id: int | None = None, now: datetime | None = None, staff=None) -> Attendance:
    """Record whether the confirmed participant with this email came to this stage.

    Emits `registration.attendance.recorded` when the record is new or changes (saving the same
    grid twice says nothing twice). 404 for an unknown exchange; 409 `stage_not_started` when the
    stage (orientation session, exchange visit, reflection session) has not started yet; 422
    (field `email`) when no confirmed participant has that email."""
    now = now or utcnow()
    if stage not in STAGES:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"stage": [_("Choose orientation, exchange or reflection.")]})
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise ApiError(404, _("There is no exchange with that number."), code="not_found")
    starts = stage_starts(exchange, stage)
    if starts is not None and starts > now:
        raise ApiError(409, _("Attendance cannot be recorded for a stage that has not started yet."),
                       code="stage_not_started")
    row = session.execute(
        select(Booking, Application).join(Application, Application.id == Booking.application_id)
        .where(Booking.exchange_id == exchange_id, Booking.status == "confirmed",
               Booking.email_folded == email.strip().casefold())).first()
    if row is None:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"email": [_("No confirmed participant of this exchange has that email address.")]})
    booking, application = row
    record = session.get(Attendance, (booking.id, stage))
    if record is not None and record.attended == attended:
        return record
    if staff is not None:
        audit.record(session, staff, "attendance.recorded", ("attendance", f"{booking.id}:{stage}"),
                     {"attended": None if record is None else record.attended}, {"attended": attended})
    if record is None:
        record = Attendance(booking_id=booking.id, stage=stage)
        session.add(record)
    record.attended, record.recorded_at, record.recorded_by = attended, now, staff_id
    session.flush()
    emit(session, ATTENDANCE_RECORDED, {
        "exchange_id": exchange_id, "application_id": application.id, "email": application.email,
        "stage": stage, "attended": attended,
    })
    return record
