"""Learning's personal data (docs/privacy.md): its part of a subject access request, erasure, and
retention, in the shape every service shares (shared/privacy.py).

Learning knows participants by registration's application id only (no name, no email). What
identifies them here: the manage token's hash (their key to give feedback and reflections), their
reflections (free text, and how they wish to be credited), the name they signed a summary with, and
the comments of their feedback. Erasure removes those (a comment quoted in a pack leaves it); the participant type, stakeholder group, bookings, attendance and the
ratings of feedback stay, keyed by an application id that no longer leads to anyone, because the
programme's figures count them.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from shared import audit, privacy
from shared.privacy import PrivacyParts, Subject, among, changed, rows_json

from .models import Applicant, Attendance, Booking, Feedback, Reflection, SummarySignature

RETAINED = ["participant type, stakeholder group, bookings, attendance and feedback ratings, without any "
            "identifier: the programme's figures and workshop packs count them",
            "the audit log of staff changes: what was changed and when, with this person's email (and the name beside it) erased"]


def export(session: Session, subject: Subject) -> dict:
    ids = subject.application_ids
    return {
        "applicants": rows_json(session.scalars(select(Applicant).where(among(Applicant.id, ids))),
                                "id", "participant_type", "stakeholder_group", "language"),
        "bookings": rows_json(session.scalars(select(Booking).where(among(Booking.application_id, ids))),
                              "exchange_id", "status"),
        "attendance": rows_json(session.scalars(select(Attendance).where(among(Attendance.application_id, ids))),
                                "exchange_id", "stage", "attended"),
        "feedback": rows_json(session.scalars(select(Feedback).where(among(Feedback.application_id, ids))),
                              "about", "would_recommend", "rating", "comment", "in_pack", "updated_at"),
        "reflections": rows_json(session.scalars(select(Reflection).where(among(Reflection.application_id, ids))),
                                 "exchange_id", "text", "credit_as", "folded_in", "updated_at"),
        "summary_signatures": rows_json(session.scalars(select(SummarySignature).where(
            among(SummarySignature.application_id, ids))), "exchange_id", "name", "signed_at"),
        "audit": audit.export(session, subject),
    }


def _forget(session: Session, ids) -> dict[str, int]:
    return {
        "applicant.manage_token_hash": changed(session.execute(
            update(Applicant).where(among(Applicant.id, ids), Applicant.manage_token_hash.is_not(None))
            .values(manage_token_hash=None))),
        "reflection": changed(session.execute(delete(Reflection).where(among(Reflection.application_id, ids)))),
        "summary_signature": changed(session.execute(
            delete(SummarySignature).where(among(SummarySignature.application_id, ids)))),
        "feedback.comment": changed(session.execute(
            update(Feedback).where(among(Feedback.application_id, ids), Feedback.comment != "")
            .values(comment="", in_pack=False))),
    }


def erase(session: Session, subject: Subject) -> dict:
    erased = {**_forget(session, subject.application_ids), "audit": audit.erase(session, subject)}
    return {"erased": erased, "retained": RETAINED}


def forget_everyone(session: Session) -> int:
    return sum(_forget(session, None).values()) + audit.forget_everyone(session)


PARTS = PrivacyParts(export, erase, forget_everyone)
HANDLERS = privacy.handlers(PARTS)
RETENTION = privacy.retention_job(PARTS)
