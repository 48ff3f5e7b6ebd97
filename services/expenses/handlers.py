"""What expenses does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it writes rows and never commits itself.
Delivery is at least once and not always in order, so every projection keeps the time of the
event it reflects and ignores an older one.
"""

from datetime import UTC

from sqlalchemy.orm import Session

from shared.events import ATTENDANCE_RECORDED, BOOKING_EVENTS, EXCHANGE_EVENTS
from shared.service import Handler

from .models import Attendance, Claimant, Exchange


def project_exchange(session: Session, envelope: dict, data: dict) -> None:
    """Keep what claims need of an exchange: title and theme for finance, dates for the windows."""
    row = session.get(Exchange, data["id"])
    if row is not None and row.event_time > envelope["time"]:
        return
    if row is None:
        row = Exchange(id=data["id"])
        session.add(row)
    row.title, row.theme = data["title"], data["theme"]
    # stored in UTC: SQLite keeps no offset, so every stored time means the same instant
    row.starts_at, row.ends_at = data["starts_at"].astimezone(UTC), data["ends_at"].astimezone(UTC)
    row.event_time = envelope["time"]


def project_claimant(session: Session, envelope: dict, data: dict) -> None:
    """Keep who the applicant is: whether they may claim, how to write to them, their token's hash."""
    applicant = data["applicant"]
    row = session.get(Claimant, data["application_id"])
    if row is not None and row.event_time > envelope["time"]:
        return
    if row is None:
        row = Claimant(application_id=data["application_id"])
        session.add(row)
    row.name, row.email = applicant["name"], applicant["email"]
    row.language, row.participant_type = applicant["language"], applicant["participant_type"]
    if data.get("manage_token_hash"):
        row.manage_token_hash = data["manage_token_hash"]
    row.event_time = envelope["time"]


def project_attendance(session: Session, envelope: dict, data: dict) -> None:
    """Keep who attended which stage (the email in the event is not kept: the claimant row has it)."""
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
    Handler("claimants", BOOKING_EVENTS, project_claimant),
    Handler("attendance", (ATTENDANCE_RECORDED,), project_attendance),
)
