"""What learning does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it writes rows and emits events, and
never commits itself. Delivery is at least once and not always in order, so every projection
keeps the time of the event it reflects and ignores an older one (`shared.projections`).
"""

from sqlalchemy.orm import Session

from shared import programme_projection, staff_projection
from shared.events import (
    ATTENDANCE_RECORDED,
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_PROMOTED,
    BOOKING_WAITLISTED,
    EXCHANGE_EVENTS,
    LINK_REPLACED,
)
from shared.projections import event_time, pending_or_stored, upsert_attendance, upsert_if_newer
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
    _, applied = upsert_if_newer(session, Exchange, {"id": data["id"]}, event_time(envelope), {
        "title": data["title"], "theme": data["theme"], "subtheme": data.get("subtheme"),
        "host_name": data["host"]["name"], "host_accounts": list(data["host"].get("accounts") or []),
        "site": data["location"]["site"], "town": data["location"]["town"],
        "starts_at": data["starts_at"], "ends_at": data["ends_at"], "description": data.get("description") or "",
        "learning_outcomes": list(data.get("learning_outcomes") or []),
        "title_cy": data.get("title_cy"), "site_cy": data["location"].get("site_cy"),
        "description_cy": data.get("description_cy"), "learning_outcomes_cy": data.get("learning_outcomes_cy"),
    })
    if applied and session.get(Theme, data["theme"]) is None:
        session.add(Theme(code=data["theme"], title=data["theme"], aim="", notify_emails=[]))


def project_booking(session: Session, envelope: dict, data: dict) -> None:
    """Keep who is booked where, and what the packs count them by (never their name or email)."""
    project_applicant(session, envelope, data)
    key = {"exchange_id": data["exchange_id"], "application_id": data["application_id"]}
    upsert_if_newer(session, Booking, key, event_time(envelope), {"status": BOOKING_STATUS[envelope["type"]]})


def project_applicant(session: Session, envelope: dict, data: dict) -> None:
    """Keep the applicant's type, group and language, and their manage token's hash unless a newer
    event gave it (a booking event, or `registration.application.link_replaced`)."""
    applicant = data["applicant"]
    person = pending_or_stored(session, Applicant, {"id": data["application_id"]})
    if person is None:
        person = Applicant(id=data["application_id"])
        session.add(person)
    person.participant_type = applicant["participant_type"]
    person.language = applicant["language"]
    if applicant.get("stakeholder_group"):
        person.stakeholder_group = applicant["stakeholder_group"]
    at = event_time(envelope)
    if data.get("manage_token_hash") and (person.manage_token_at is None or person.manage_token_at <= at):
        person.manage_token_hash, person.manage_token_at = data["manage_token_hash"], at


def project_attendance(session: Session, envelope: dict, data: dict) -> None:
    """Keep who attended which stage (the email in the event is not kept)."""
    upsert_attendance(session, Attendance, envelope, data)


HANDLERS: tuple[Handler, ...] = (
    Handler("catalogue", EXCHANGE_EVENTS, project_exchange),
    Handler("bookings", tuple(BOOKING_STATUS), project_booking),
    Handler("manage-links", (LINK_REPLACED,), project_applicant),
    Handler("attendance", (ATTENDANCE_RECORDED,), project_attendance),
    staff_projection.HANDLER,
    programme_projection.HANDLER,
    staff_projection.CONTACTS_HANDLER,
)
