"""Expenses' personal data (docs/privacy.md): its part of a subject access request, erasure, and
retention, in the shape every service shares (shared/privacy.py).

Expenses holds who may claim (the claimants projection: name, email, language, participant type,
manage token hash), their attendance, their claims (bank details encrypted, their answers to
finance's questions, their journeys' places and their reasons), what was written on their claims'
history (HistoryNote: answers, questions, reasons, the masked bank change) and their receipt files.

Finance must keep what it paid and why for HMRC (six years after the end of the financial year),
so erasure anonymises rather than deletes: the claim, its lines' types, days and amounts, finance's
decisions and the append-only history stay, under an application id that no longer leads to anyone.
Bank details of a claim still awaiting payment (approved, or in a payment run) stay until it is
paid, because the money is owed.
"""

from __future__ import annotations

from sqlalchemy import delete, event, or_, select, update
from sqlalchemy.orm import Session

from shared import audit, privacy
from shared.privacy import PrivacyParts, Subject, among, changed, rows_json

from .models import Attendance, Claim, Claimant, ClaimHistory, ClaimItem, HistoryNote, Receipt
from .operations.bank import masked
from .operations.receipts import path_of

#: bank details are kept while the money is owed
AWAITING_PAYMENT = ("approved", "in_run")
RETAINED = [
    "claims: exchange, status, amounts, days and types of their lines, finance's decisions and the lines of the "
    "claim history without what was written on them (finance audit, HMRC: six years after the end of the "
    "financial year), under an application id that leads to no one",
    "receipt files attached to a claim line, renamed (evidence of the expenditure, same audit period)",
    "bank details of claims awaiting payment (approved or in a payment run), until paid",
    "the audit log of staff changes: what was changed and when, with this person's email (and the name beside it) erased",
]


def _application_ids(session: Session, subject: Subject) -> set[int]:
    settings = session.info["kx_settings"]
    found = {c.application_id for c in session.scalars(select(Claimant)) if subject.matches(settings, c.email)}
    return found | set(subject.application_ids)


def export(session: Session, subject: Subject) -> dict:
    ids = _application_ids(session, subject)
    claims = list(session.scalars(select(Claim).where(Claim.application_id.in_(ids)).order_by(Claim.id)))
    exported = rows_json(claims, "id", "exchange_id", "status", "total_pence", "approved_pence", "question",
                         "answer", "reason", "declared_at", "submitted_at", "paid_at")
    for claim, data in zip(claims, exported, strict=True):
        data["bank_account"] = masked(claim)  # never in clear, even to its owner over the bus
        data["items"] = rows_json(
            session.scalars(select(ClaimItem).where(ClaimItem.claim_id == claim.id).order_by(ClaimItem.position)),
            "type", "day", "description", "from_place", "to_place", "miles_tenths", "vehicle", "passengers",
            "nights", "amount_pence", "lost_receipt_reason", "over_cap_reason")
        data["history"] = _history(session, claim)
    return {
        "claimants": rows_json(session.scalars(select(Claimant).where(Claimant.application_id.in_(ids))),
                               "name", "email", "language", "participant_type"),
        "attendance": rows_json(session.scalars(select(Attendance).where(Attendance.application_id.in_(ids))),
                                "exchange_id", "stage", "attended"),
        "claims": exported,
        "receipts": rows_json(session.scalars(select(Receipt).where(Receipt.application_id.in_(ids))),
                              "id", "filename", "content_type", "size", "created_at"),
        "audit": audit.export(session, subject),
    }


def _history(session: Session, claim: Claim) -> list[dict]:
    """The claim's history with what was written on it (`text`); finance staff by role, not by name."""
    return rows_json(session.scalars(select(ClaimHistory).where(ClaimHistory.claim_id == claim.id)
                                     .order_by(ClaimHistory.id)),
                     "at", "actor_kind", "action", "from_status", "to_status", "text")


def _forget(session: Session, ids) -> dict[str, int]:
    """Anonymise the claims of `ids` (None: everyone) and delete what finance need not keep."""
    emails = None if ids is None else list(session.scalars(select(Claimant.email).where(Claimant.application_id.in_(ids))))
    claims = select(Claim.id).where(among(Claim.application_id, ids))
    attached = select(ClaimItem.receipt_id).where(ClaimItem.receipt_id.is_not(None))
    loose = list(session.scalars(select(Receipt).where(among(Receipt.application_id, ids), Receipt.id.not_in(attached))))
    _unlink_after_commit(session, [path_of(session.info["kx_settings"], r) for r in loose])
    erased = {
        "claimant": changed(session.execute(delete(Claimant).where(among(Claimant.application_id, ids)))),
        "attendance": changed(session.execute(delete(Attendance).where(among(Attendance.application_id, ids)))),
        "claim.bank_details": changed(session.execute(
            update(Claim).where(among(Claim.application_id, ids), Claim.bank_ciphertext.is_not(None),
                                Claim.status.not_in(AWAITING_PAYMENT))
            .values(bank_ciphertext=None, bank_last4=None, bank_key_id=None))),
        "claim.question_answer": changed(session.execute(
            update(Claim).where(among(Claim.application_id, ids), or_(
                Claim.question.is_not(None), Claim.answer.is_not(None), Claim.reason.is_not(None)))
            .values(question=None, answer=None, reason=None))),
        "claim_history.note": changed(session.execute(delete(HistoryNote).where(HistoryNote.claim_id.in_(claims)))),
        "claim_item.text": changed(session.execute(
            update(ClaimItem).where(ClaimItem.claim_id.in_(claims), or_(
                ClaimItem.description != "", ClaimItem.from_place.is_not(None), ClaimItem.to_place.is_not(None),
                ClaimItem.lost_receipt_reason.is_not(None), ClaimItem.over_cap_reason.is_not(None)))
            .values(description="", from_place=None, to_place=None, lost_receipt_reason=None, over_cap_reason=None))),
        "receipt": changed(session.execute(delete(Receipt).where(Receipt.id.in_([r.id for r in loose])))),
        "receipt.filename": changed(session.execute(
            update(Receipt).where(among(Receipt.application_id, ids), Receipt.filename != "receipt")
            .values(filename="receipt"))),
    }
    if emails is not None:
        erased["outbox"] = privacy.scrub_outbox(session, emails)
    return erased


def _unlink_after_commit(session: Session, paths) -> None:
    """Receipt files go once the rows that name them are gone for good (not if the transaction fails)."""
    if not paths:
        return

    def unlink(_session):
        for path in paths:
            path.unlink(missing_ok=True)

    event.listen(session, "after_commit", unlink, once=True)


def erase(session: Session, subject: Subject) -> dict:
    erased = {**_forget(session, _application_ids(session, subject)), "audit": audit.erase(session, subject)}
    return {"erased": erased, "retained": RETAINED}


def forget_everyone(session: Session) -> int:
    outbox = session.info["kx_service"].outbox
    sent = changed(session.execute(delete(outbox).where(outbox.sent_at.is_not(None))))
    return sent + sum(_forget(session, None).values()) + audit.forget_everyone(session)


PARTS = PrivacyParts(export, erase, forget_everyone)
HANDLERS = privacy.handlers(PARTS)
RETENTION = privacy.retention_job(PARTS)
