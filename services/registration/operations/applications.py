"""An application as its applicant sees it: `GET /applications/<token>` and the manage page."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Application, Booking, Exchange


def application_with_bookings(session: Session, application: Application) -> dict:
    """The application with every booking's current status and its exchange, by start time
    (outputs.ApplicationOutput; times as stored)."""
    rows = session.execute(
        select(Booking, Exchange).join(Exchange, Exchange.id == Booking.exchange_id)
        .where(Booking.application_id == application.id).order_by(Exchange.starts_at, Booking.id)).all()
    return {
        "application_id": application.id,
        "created_at": application.created_at,
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
             "exchange": {"title": exchange.title, "title_cy": exchange.title_cy, "starts_at": exchange.starts_at,
                          "ends_at": exchange.ends_at,
                          "location": {"site": exchange.site, "site_cy": exchange.site_cy, "town": exchange.town}}}
            for booking, exchange in rows
        ],
    }
