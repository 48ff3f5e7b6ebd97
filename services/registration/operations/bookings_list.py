"""The programme team's list of every booking across the programme: search, filters, totals and
the rows an export writes. Reads only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from ..models import Application, Attendance, Booking, Exchange

#: the statuses a booking may be filtered by (models.booking)
STATUSES = ("confirmed", "waitlisted", "cancelled")
#: the most rows one page of the list holds
MAX_PER_PAGE = 200


@dataclass(frozen=True)
class Filter:
    """What the list is narrowed to; an empty value narrows nothing."""

    q: str = ""
    exchange_id: int | None = None
    status: str | None = None
    participant_type: str | None = None
    stakeholder_group: str | None = None
    page: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class BookingRow:
    """One booking with its applicant, its exchange's title and whether they came to the visit
    (True, False, or None while not recorded)."""

    booking: Booking
    application: Application
    exchange_title: str
    attended: bool | None


@dataclass(frozen=True)
class Totals:
    """The whole selection counted: distinct applications, and bookings by status and attendance."""

    applications: int = 0
    bookings: int = 0
    confirmed: int = 0
    waiting: int = 0
    cancelled: int = 0
    attended: int = 0


def filter_of(query: dict) -> Filter:
    """The filter from `schemas.BookingsQuery`'s answer."""
    return Filter(q=query.get("q") or "", exchange_id=query.get("exchange"), status=query.get("status"),
                  participant_type=query.get("participant_type"), stakeholder_group=query.get("stakeholder_group"),
                  page=query.get("page") or 1, per_page=min(query.get("per_page") or 50, MAX_PER_PAGE))


def _visit():
    """The attendance recorded at the exchange visit itself, joined beside each booking."""
    return and_(Attendance.booking_id == Booking.id, Attendance.stage == "exchange")


def _conditions(chosen: Filter) -> list:
    conditions = []
    words = chosen.q.strip()
    if words:
        # A substring search, case-insensitive; `%` and `_` typed by the person are taken literally.
        pattern = "%" + words.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(or_(func.lower(Application.name).like(pattern, escape="\\"),
                              Application.email_folded.like(pattern, escape="\\"),
                              func.lower(Application.organisation).like(pattern, escape="\\")))
    if chosen.exchange_id is not None:
        conditions.append(Booking.exchange_id == chosen.exchange_id)
    if chosen.status:
        conditions.append(Booking.status == chosen.status)
    if chosen.participant_type:
        conditions.append(Application.participant_type == chosen.participant_type)
    if chosen.stakeholder_group:
        conditions.append(Application.stakeholder_group == chosen.stakeholder_group)
    return conditions


def _selection(columns, chosen: Filter):
    return (select(*columns).select_from(Booking).join(Application, Application.id == Booking.application_id)
            .join(Exchange, Exchange.id == Booking.exchange_id).outerjoin(Attendance, _visit())
            .where(*_conditions(chosen)))


def totals(session: Session, chosen: Filter) -> Totals:
    """The selection's totals, whatever page is shown."""
    row = session.execute(_selection((
        func.count(func.distinct(Booking.application_id)), func.count(Booking.id),
        _count_where(Booking.status == "confirmed"), _count_where(Booking.status == "waitlisted"),
        _count_where(Booking.status == "cancelled"), _count_where(Attendance.attended.is_(True))), chosen)).one()
    return Totals(*(int(value) for value in row))


def page(session: Session, chosen: Filter) -> tuple[list[BookingRow], Totals]:
    """One page of the selection (newest bookings first) and the whole selection's totals."""
    query = (_selection((Booking, Application, Exchange.title, Attendance.attended), chosen)
             .order_by(Booking.created_at.desc(), Booking.id.desc())
             .offset((chosen.page - 1) * chosen.per_page).limit(chosen.per_page))
    return [BookingRow(*row) for row in session.execute(query)], totals(session, chosen)


def everything(session: Session, chosen: Filter) -> list[BookingRow]:
    """The whole selection, for an export: by exchange, then confirmed, waiting (in order), cancelled."""
    query = (_selection((Booking, Application, Exchange.title, Attendance.attended), chosen)
             .order_by(Booking.exchange_id, Booking.status, Booking.waitlist_position, Booking.id))
    return [BookingRow(*row) for row in session.execute(query)]


def _count_where(condition):
    return func.count(Booking.id).filter(condition)
