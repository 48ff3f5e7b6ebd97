"""What learning does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it writes rows and emits events, and
never commits itself. Delivery is at least once and not always in order, so every projection
keeps the time of the event it reflects and ignores an older one.
"""

from sqlalchemy.orm import Session

from shared.events import (
    ATTENDANCE_RECORDED,
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_PROMOTED,
    BOOKING_WAITLISTED,
    EXCHANGE_EVENTS,
)
from shared.service import Handler

from .models import Applicant, Attendance, Booking, Exchange, Theme

#: booking event -> the status the booking is in afterwards
BOOKING_STATUS = {
    BOOKING_CONFIRMED: "confirmed",
    BOOKING_PROMOTED: "confirmed",
    BOOKING_WAITLISTED: "waitlisted",
    BOOKING_CANCELLED: "cancelled",
}


def project_exchange(session: Session, envelope: dict, data: dict) -> None:
    """Keep the catalogue: title, theme, host, place, dates and anticipated outcomes."""
    row = session.get(Exchange, data["id"])
    if row is not None and row.event_time > envelope["time"]:
        return
    if row is None:
        row = Exchange(id=data["id"])
        session.add(row)
    row.title = data["title"]
    row.theme = data["theme"]
    row.subtheme = data.get("subtheme")
    row.host_name = data["host"]["name"]
    row.host_accounts = list(data["host"].get("accounts") or [])
    row.site = data["location"]["site"]
    row.town = data["location"]["town"]
    row.starts_at = data["starts_at"]
    row.ends_at = data["ends_at"]
    row.description = data.get("description") or ""
    row.learning_outcomes = list(data.get("learning_outcomes") or [])
    row.event_time = envelope["time"]
    if session.get(Theme, data["theme"]) is None:
        session.add(Theme(code=data["theme"], title=data["theme"], aim="", notify_emails=[]))


def project_booking(session: Session, envelope: dict, data: dict) -> None:
    """Keep who is booked where, and what the packs count them by (never their name or email)."""
    applicant = data["applicant"]
    person = session.get(Applicant, data["application_id"])
    if person is None:
        person = Applicant(id=data["application_id"])
        session.add(person)
    person.participant_type = applicant["participant_type"]
    person.language = applicant["language"]
    if applicant.get("stakeholder_group"):
        person.stakeholder_group = applicant["stakeholder_group"]
    if data.get("manage_token_hash"):
        person.manage_token_hash = data["manage_token_hash"]

    key = (data["exchange_id"], data["application_id"])
    booking = session.get(Booking, key)
    if booking is not None and booking.event_time > envelope["time"]:
        return
    if booking is None:
        booking = Booking(exchange_id=key[0], application_id=key[1])
        session.add(booking)
    booking.status = BOOKING_STATUS[envelope["type"]]
    booking.event_time = envelope["time"]


def project_attendance(session: Session, envelope: dict, data: dict) -> None:
    """Keep who attended which stage (the email in the event is not kept)."""
    key = (data["exchange_id"], data["application_id"], data["stage"])
    row = session.get(Attendance, key)
    if row is not None and row.event_time > envelope["time"]:
        return
    if row is None:
        row = Attendance(exchange_id=key[0], application_id=key[1], stage=key[2])
        session.add(row)
    row.attended = data["attended"]
    row.event_time = envelope["time"]


HANDLERS: tuple[Handler, ...] = (
    Handler("catalogue", EXCHANGE_EVENTS, project_exchange),
    Handler("bookings", tuple(BOOKING_STATUS), project_booking),
    Handler("attendance", (ATTENDANCE_RECORDED,), project_attendance),
)
