"""What expenses does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it writes rows and never commits itself.
Delivery is at least once and not always in order, so every projection keeps the time of the
event it reflects and ignores an older one (`shared.projections`).
"""

from sqlalchemy.orm import Session

from shared import programme_projection, staff_projection
from shared.events import ATTENDANCE_RECORDED, BOOKING_EVENTS, EXCHANGE_EVENTS, LINK_REPLACED
from shared.projections import event_time, upsert_attendance, upsert_if_newer
from shared.service import Handler

from .models import Attendance, Claimant, Exchange


def project_exchange(session: Session, envelope: dict, data: dict) -> None:
    """Keep what claims need of an exchange: title and theme for finance, dates for the windows."""
    upsert_if_newer(session, Exchange, {"id": data["id"]}, event_time(envelope), {
        "title": data["title"], "theme": data["theme"], "starts_at": data["starts_at"], "ends_at": data["ends_at"]})


def project_claimant(session: Session, envelope: dict, data: dict) -> None:
    """Keep who the applicant is: whether they may claim, how to write to them, their token's hash;
    from booking events and `registration.application.link_replaced` alike (the row keeps the
    newest event's time, so a booking event older than a replacement never brings back the old hash)."""
    applicant = data["applicant"]
    values = {"name": applicant["name"], "email": applicant["email"], "language": applicant["language"],
              "participant_type": applicant["participant_type"]}
    if data.get("manage_token_hash"):
        values["manage_token_hash"] = data["manage_token_hash"]
    upsert_if_newer(session, Claimant, {"application_id": data["application_id"]}, event_time(envelope), values)


def project_attendance(session: Session, envelope: dict, data: dict) -> None:
    """Keep who attended which stage (the email in the event is not kept: the claimant row has it)."""
    upsert_attendance(session, Attendance, envelope, data)


HANDLERS: tuple[Handler, ...] = (
    Handler("catalogue", EXCHANGE_EVENTS, project_exchange),
    Handler("claimants", (*BOOKING_EVENTS, LINK_REPLACED), project_claimant),
    Handler("attendance", (ATTENDANCE_RECORDED,), project_attendance),
    staff_projection.HANDLER,
    programme_projection.HANDLER,
)
