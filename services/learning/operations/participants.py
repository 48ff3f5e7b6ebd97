"""What participants do through their manage link: reflections and feedback.

A participant is recognised by the sha256 of their manage token, which registration puts on its
booking events (`manage_token_hash`); the token itself never reaches learning's database.
Feedback is taken only from someone whose attendance was recorded; a second one replaces the first.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import ApiError
from shared.manage_tokens import holder

from ..models import Applicant, Attendance, Booking, Exchange, Feedback, Reflection


def applicant_for(session: Session, token: str | None) -> Applicant:
    """The applicant holding this manage token; 404 for an unknown one (never saying more)."""
    applicant = holder(session, Applicant, token)
    if applicant is None:
        raise ApiError(404, _("We could not find your booking. Use the link in your confirmation email."),
                       code="not_found")
    return applicant


def attended_exchanges(session: Session, applicant: Applicant) -> set[int]:
    return set(session.scalars(select(Attendance.exchange_id).where(
        Attendance.application_id == applicant.id, Attendance.stage == "exchange", Attendance.attended.is_(True))))


def booked_exchanges(session: Session, applicant: Applicant) -> list[Exchange]:
    """The exchanges they hold (or held) a confirmed place on, soonest first."""
    return list(session.scalars(
        select(Exchange).join(Booking, Booking.exchange_id == Exchange.id)
        .where(Booking.application_id == applicant.id, Booking.status == "confirmed")
        .order_by(Exchange.starts_at)))


def save_reflection(session: Session, applicant: Applicant, data: dict) -> Reflection:
    exchange_id = data["exchange_id"]
    if exchange_id not in attended_exchanges(session, applicant) and exchange_id not in {
            e.id for e in booked_exchanges(session, applicant)}:
        raise ApiError(403, _("You can add a reflection only on an exchange you have a place on."),
                       code="not_a_participant")
    row = session.get(Reflection, (exchange_id, applicant.id))
    if row is None:
        row = Reflection(exchange_id=exchange_id, application_id=applicant.id)
        session.add(row)
    row.text = data["text"].strip()
    row.credit_as = data["credit_as"].strip()
    row.folded_in = False
    session.flush()
    return row


def give_feedback(session: Session, applicant: Applicant, data: dict) -> tuple[Feedback, bool]:
    """Record (or replace) their feedback; returns it and whether it replaced an earlier one."""
    attended = attended_exchanges(session, applicant)
    about = data["about"]
    exchange_id = int(about.split(":")[1]) if about.startswith("exchange:") else None
    if exchange_id is not None and exchange_id not in attended:
        raise ApiError(403, _("Feedback on an exchange can be given only by someone who attended it."),
                       code="not_attended")
    if exchange_id is None and not attended:
        raise ApiError(403, _("Feedback on the conference can be given only by someone who took part in the programme."),
                       code="not_attended")
    row = session.scalar(select(Feedback).where(Feedback.application_id == applicant.id, Feedback.about == about))
    replaced = row is not None
    if row is None:
        row = Feedback(application_id=applicant.id, about=about, exchange_id=exchange_id)
        session.add(row)
    row.would_recommend = data["would_recommend"]
    row.rating = data["rating"]
    row.comment = data["comment"].strip()
    session.flush()
    return row, replaced


def reflections_on(session: Session, exchange_id: int) -> list[Reflection]:
    return list(session.scalars(select(Reflection).where(Reflection.exchange_id == exchange_id)
                                .order_by(Reflection.updated_at)))


def feedback_of(session: Session, applicant: Applicant) -> dict[str, Feedback]:
    return {f.about: f for f in session.scalars(select(Feedback).where(Feedback.application_id == applicant.id))}
