"""Registration's personal data (docs/privacy.md): its part of a subject access request, erasure,
and retention, in the shape every service shares (shared/privacy.py).

Registration holds what applicants told us (name, email, organisation, role, access needs...), their
bookings and attendance. Erasure anonymises the application rather than deleting it, so that places,
waiting lists and the programme's counts stay right: the row keeps only its participant type,
stakeholder group, language and dates, and its manage token stops working.

Registration is also where the programme's end is known (the last exchange's reflection session):
its retention job announces it to the other services (`registration.programme.updated`) whenever it
changes. Requests themselves are in `operations/privacy_requests.py`; registration answers its
own part there, in the request's transaction, so the access needs it holds never travel on the bus.
What a request gathered is personal data too: retention forgets it here (`forget_old_exports`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shared import audit, privacy
from shared.db import utcnow
from shared.events import PROGRAMME_UPDATED
from shared.manage_tokens import new_token, token_hash
from shared.outbox import emit
from shared.privacy import PrivacyParts, Subject, among, rows_json
from shared.times import iso

from .models import Application, Attendance, Booking, Exchange, PrivacyAnswer, PrivacyRequest

#: how long a complete access request's file stays downloadable; afterwards only the record remains
KEEP_EXPORT = timedelta(days=30)

RETAINED = ["applications and bookings without name, email, organisation, role or access needs (participant type, "
            "stakeholder group, language and dates only): places, waiting lists and the programme's counts",
            "the audit log of staff changes: what was changed and when, with this person's email (and the name beside it) erased"]


def applications_of(session: Session, email: str) -> list[int]:
    folded = email.strip().casefold()
    return list(session.scalars(select(Application.id).where(Application.email_folded == folded,
                                                             Application.erased_at.is_(None))))


def export(session: Session, subject: Subject) -> dict:
    ids = subject.application_ids
    bookings = session.execute(
        select(Booking, Exchange.title).join(Exchange, Exchange.id == Booking.exchange_id)
        .where(among(Booking.application_id, ids)).order_by(Booking.id)).all()
    exported = rows_json([b for b, _title in bookings], "id", "application_id", "exchange_id", "status",
                         "waitlist_position", "created_at", "updated_at")
    for (_booking, title), data in zip(bookings, exported, strict=True):
        data["exchange_title"] = title
    return {
        "applications": rows_json(
            session.scalars(select(Application).where(among(Application.id, ids)).order_by(Application.id)),
            "id", "name", "email", "organisation", "role", "participant_type", "stakeholder_group", "language",
            "access_needs", "line_manager_permission", "will_attend_sessions", "privacy_notice_accepted_at",
            "created_at"),
        "bookings": exported,
        "attendance": rows_json(session.scalars(
            select(Attendance).join(Booking, Booking.id == Attendance.booking_id)
            .where(among(Booking.application_id, ids))), "booking_id", "stage", "attended", "recorded_at"),
        "audit": audit.export(session, subject),
    }


def _forget(session: Session, ids) -> dict[str, int]:
    now = utcnow()
    applications = list(session.scalars(
        select(Application).where(among(Application.id, ids), Application.erased_at.is_(None))))
    emails = [a.email for a in applications]
    for application in applications:
        application.name = application.email = application.organisation = application.role = ""
        application.access_needs = ""
        application.email_folded = f"erased:{application.id}"
        # a hash of nothing anyone holds: the old manage link stops working
        application.manage_token_hash = token_hash(new_token())
        application.erased_at = now
        session.execute(update(Booking).where(Booking.application_id == application.id)
                        .values(email_folded=f"erased:{application.id}"))
    return {"application": len(applications), "outbox": privacy.scrub_outbox(session, emails)}


def erase(session: Session, subject: Subject) -> dict:
    erased = {**_forget(session, subject.application_ids), "audit": audit.erase(session, subject)}
    return {"erased": erased, "retained": RETAINED}


def forget_everyone(session: Session) -> int:
    return sum(_forget(session, None).values()) + audit.forget_everyone(session)


def programme_ends_at(session: Session) -> datetime | None:
    """The last exchange's reflection session (its end when it has none)."""
    ends = session.scalars(select(func.coalesce(Exchange.reflection_starts_at, Exchange.ends_at)))
    return max(ends, default=None)


def announce_programme_end(session: Session, now: datetime) -> int:
    """Tell the other services when the programme ends, when that changed; also kept here."""
    ends_at = programme_ends_at(session)
    if not privacy.record_programme_end(session, ends_at, now):
        return 0
    emit(session, PROGRAMME_UPDATED, {"ends_at": iso(ends_at)})
    return 1


def forget_old_exports(session: Session, now: datetime) -> int:
    """An access request's gathered data is personal data too: kept 30 days after completion."""
    old = select(PrivacyRequest.id).where(PrivacyRequest.kind == privacy.ACCESS,
                                          PrivacyRequest.completed_at < now - KEEP_EXPORT)
    result = session.execute(update(PrivacyAnswer).where(PrivacyAnswer.request_id.in_(old),
                                                         PrivacyAnswer.data.is_not(None)).values(data=None))
    return result.rowcount or 0


def _before_retention(session: Session, now: datetime) -> int:
    return announce_programme_end(session, now) + forget_old_exports(session, now)


PARTS = PrivacyParts(export, erase, forget_everyone)
RETENTION = privacy.retention_job(PARTS, before=_before_retention)
