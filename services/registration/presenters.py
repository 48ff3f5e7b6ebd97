"""How applications and participants are shown in the API, the CSV export and the staff pages."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Application, Booking, Exchange
from .operations.attendance import STAGES, Participant
from .operations.catalogue import iso

PARTICIPANT_COLUMNS = ("booking_id", "status", "waitlist_position", "name", "email", "organisation", "role",
                       "participant_type", "stakeholder_group", "language", "access_needs",
                       *(f"attended_{stage}" for stage in STAGES))


def application_json(session: Session, application: Application) -> dict:
    """`GET /applications/<token>`: the application with every booking's current status."""
    rows = session.execute(
        select(Booking, Exchange).join(Exchange, Exchange.id == Booking.exchange_id)
        .where(Booking.application_id == application.id).order_by(Exchange.starts_at, Booking.id)).all()
    return {
        "application_id": application.id,
        "created_at": iso(application.created_at),
        "applicant": {
            "name": application.name, "email": application.email, "organisation": application.organisation,
            "role": application.role, "participant_type": application.participant_type,
            "stakeholder_group": application.stakeholder_group, "language": application.language,
            "access_needs": application.access_needs,
        },
        "line_manager_permission": application.line_manager_permission,
        "will_attend_sessions": application.will_attend_sessions,
        "bookings": [
            {"exchange_id": booking.exchange_id, "status": booking.status,
             "waitlist_position": booking.waitlist_position,
             "exchange": {"title": exchange.title, "starts_at": iso(exchange.starts_at),
                          "ends_at": iso(exchange.ends_at),
                          "location": {"site": exchange.site, "town": exchange.town}}}
            for booking, exchange in rows
        ],
    }


def participant_json(participant: Participant) -> dict:
    booking, application = participant.booking, participant.application
    return {
        "booking_id": booking.id, "application_id": application.id, "status": booking.status,
        "waitlist_position": booking.waitlist_position, "name": application.name, "email": application.email,
        "organisation": application.organisation, "role": application.role,
        "participant_type": application.participant_type, "stakeholder_group": application.stakeholder_group,
        "language": application.language, "access_needs": application.access_needs,
        "attendance": dict(participant.attendance),
    }


def participants_csv(participants: list[Participant]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PARTICIPANT_COLUMNS)
    for participant in participants:
        row = participant_json(participant)
        attendance = row.pop("attendance")
        values = [row[c] for c in PARTICIPANT_COLUMNS[:11]] + [_yes_no(attendance[s]) for s in STAGES]
        writer.writerow([_safe_cell(v) for v in values])
    return out.getvalue()


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _safe_cell(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
