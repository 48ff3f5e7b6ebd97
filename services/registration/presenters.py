"""How applications and participants are shown in the API, the CSV exports and the staff pages.

The API (JSON and its CSV) keeps the stored codes, its contract. Pages and the staff page's CSV show
each code through its vocabulary below, one per kind of code (`{{ row.status | label(EXCHANGE_STATUSES) }}`).
"""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.i18n import label
from shared.times import iso
from shared.web import LANGUAGE_NAMES

from .models import Application, Booking, Exchange
from .operations.attendance import STAGES, Participant

PARTICIPANT_COLUMNS = ("booking_id", "status", "waitlist_position", "name", "email", "organisation", "role",
                       "participant_type", "stakeholder_group", "language", "access_needs",
                       *(f"attended_{stage}" for stage in STAGES))

#: an exchange's status as the staff pages show it
EXCHANGE_STATUSES = {"open": _l("Open"), "full": _l("Full"), "closed": _l("Closed")}
#: a booking's status (models.booking)
BOOKING_STATUSES = {"confirmed": _l("Confirmed"), "waitlisted": _l("On the waiting list"),
                    "cancelled": _l("Cancelled")}
#: how someone takes part (Application.participant_type)
PARTICIPANT_TYPES = {"occupation": _l("Expert by occupation"), "experience": _l("Expert by experience"),
                     "both": _l("Expert by occupation and by experience")}
#: the group someone mainly represents (Application.stakeholder_group)
STAKEHOLDER_GROUPS = {"lived_experience": _l("Lived experience"), "health": _l("Health"),
                      "social_care": _l("Social care"),
                      "third_sector": _l("The Third Sector (voluntary and community organisations)"),
                      "other": _l("Another group")}
#: the stages whose attendance is recorded (operations.attendance.STAGES)
ATTENDANCE_STAGES = {"orientation": _l("Orientation session"), "exchange": _l("Exchange visit"),
                     "reflection": _l("Reflection session")}
#: the headings of the staff page's CSV, by column
PARTICIPANT_HEADINGS = {"booking_id": _l("Booking"), "status": _l("Status"),
                        "waitlist_position": _l("Place on the waiting list"), "name": _l("Name"),
                        "email": _l("Email"), "organisation": _l("Organisation"), "role": _l("Role"),
                        "participant_type": _l("Taking part as"), "stakeholder_group": _l("Stakeholder group"),
                        "language": _l("Language for emails"), "access_needs": _l("Access needs")}
#: how each column's value is put in words in the staff page's CSV
_COLUMN_WORDS = {"status": BOOKING_STATUSES, "participant_type": PARTICIPANT_TYPES,
                 "stakeholder_group": STAKEHOLDER_GROUPS, "language": LANGUAGE_NAMES}


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


def participants_csv(participants: list[Participant], words: bool = False) -> str:
    """The participants as CSV: the API's with its column names and codes; with `words` the staff
    page's download, headings and values in the reader's language."""
    out = io.StringIO()
    writer = csv.writer(out)
    if words:
        writer.writerow([*(str(PARTICIPANT_HEADINGS[c]) for c in PARTICIPANT_COLUMNS[:11]),
                         *(_("Attended: %(stage)s", stage=ATTENDANCE_STAGES[s]) for s in STAGES)])
    else:
        writer.writerow(PARTICIPANT_COLUMNS)
    for participant in participants:
        row = participant_json(participant)
        attendance = row.pop("attendance")
        values = [label(row[c], _COLUMN_WORDS[c]) if words and c in _COLUMN_WORDS else row[c]
                  for c in PARTICIPANT_COLUMNS[:11]]
        values += [_yes_no(attendance[s], words) for s in STAGES]
        writer.writerow([_safe_cell(v) for v in values])
    return out.getvalue()


def _yes_no(value: bool | None, words: bool) -> str:
    if value is None:
        return ""
    if words:
        return _("Yes") if value else _("No")
    return "yes" if value else "no"


def _safe_cell(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
