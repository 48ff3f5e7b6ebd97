"""Payment runs, four eyes: a maker gathers approved claims, a *second* finance user approves the
run, and only then can anyone take its bank file; once the bank has paid, a finance user records the
payments as released. One person alone can never take the bank details of a run.

Claims move in guarded bulk statements (`WHERE status = 'approved'`), so two runs made at once can
never gather the same claim. The maker cannot approve their own run, and nobody approves a run
holding a claim they approved (nobody approves a claim and its payment). Nobody gathers, approves or
releases a run holding their own claim (operations/access.py).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from shared import audit
from shared.auth import Staff
from shared.db import utcnow
from shared.errors import ApiError
from shared.events import CLAIM_PAID, PAYMENT_RUN_CREATED
from shared.outbox import emit

from ..models import Claim, Claimant, Exchange, PaymentRun
from .access import refuse_own_claims
from .claims import claim_event_data
from .history import Actor, record_many


def run_or_404(session: Session, run_id: int, lock: bool = False) -> PaymentRun:
    query = select(PaymentRun).where(PaymentRun.id == run_id)
    run = session.scalar(query.with_for_update() if lock else query)
    if run is None:
        raise ApiError(404, _("There is no payment run with that number."), code="not_found")
    return run


def make_run(session: Session, staff: Staff, claim_ids: list[int] | None = None) -> PaymentRun:
    """Gather approved claims (all, or those named) into a new open run."""
    run = PaymentRun(status="open", created_by=staff.id, created_by_name=staff.name or f"Staff {staff.id}",
                     created_at=utcnow(), claim_count=0, total_pence=0)
    session.add(run)
    session.flush()
    guard = update(Claim).where(Claim.status == "approved")
    if claim_ids is not None:
        guard = guard.where(Claim.id.in_(claim_ids))
    session.execute(guard.values(status="in_run", payment_run_id=run.id, updated_at=utcnow()),
                    execution_options={"synchronize_session": False})
    gathered = list(session.scalars(select(Claim.id).where(Claim.payment_run_id == run.id).order_by(Claim.id)))
    if not gathered:
        raise ApiError(409, _("There are no approved claims to pay."), code="nothing_to_pay")
    refuse_own_claims(session, staff, Claim.payment_run_id == run.id)
    run.claim_count = len(gathered)
    run.total_pence = int(session.scalar(
        select(func.sum(func.coalesce(Claim.approved_pence, Claim.total_pence))).where(Claim.payment_run_id == run.id)))
    record_many(session, gathered, "added_to_run", Actor.staff(staff), "approved", "in_run", f"payment run {run.id}")
    audit.record(session, staff, "payment_run.created", ("payment_run", run.id), None,
                 {"status": "open", "claims": gathered, "total_pence": run.total_pence})
    # the other finance users are asked to approve it (four eyes): notifications writes to them
    emit(session, PAYMENT_RUN_CREATED, {"run_id": run.id, "claims": run.claim_count, "total_pence": run.total_pence,
                                        "made_by": staff.id, "url": f"/expenses/finance/runs/{run.id}"})
    session.flush()
    return run


def approve_run(session: Session, run: PaymentRun, staff: Staff) -> None:
    """The second pair of eyes: from now the run's bank file can be taken."""
    _status(run, "open")
    if staff.id == run.created_by:
        raise ApiError(403, _("A payment run must be approved by a different member of finance staff from the one "
                              "who made it."), code="maker_cannot_approve")
    own = list(session.scalars(select(Claim.id).where(Claim.payment_run_id == run.id,
                                                       Claim.approved_by == staff.id).order_by(Claim.id)))
    if own:
        listed = ", ".join(str(i) for i in own[:10]) + ("…" if len(own) > 10 else "")
        raise ApiError(403, _("You approved claim(s) %(ids)s in this run, so someone else must approve the run.",
                              ids=listed), code="approver_cannot_release")
    refuse_own_claims(session, staff, Claim.payment_run_id == run.id)
    run.status, run.approved_by, run.approved_by_name, run.approved_at = "approved", staff.id, staff.name, utcnow()
    audit.record(session, staff, "payment_run.approved", ("payment_run", run.id), {"status": "open"},
                 {"status": "approved"})
    session.flush()


def confirm_run(session: Session, run: PaymentRun, staff: Staff) -> None:
    """Payments released (after approval): the run's claims become paid, and each claimant is told."""
    _status(run, "approved")
    refuse_own_claims(session, staff, Claim.payment_run_id == run.id)
    now = utcnow()
    ids = list(session.scalars(select(Claim.id).where(Claim.payment_run_id == run.id, Claim.status == "in_run")))
    session.execute(update(Claim).where(Claim.payment_run_id == run.id, Claim.status == "in_run")
                    .values(status="paid", paid_at=now, updated_at=now),
                    execution_options={"synchronize_session": False})
    run.status, run.closed_by, run.closed_by_name, run.closed_at = "confirmed", staff.id, staff.name, now
    record_many(session, ids, "paid", Actor.staff(staff), "in_run", "paid", f"payment run {run.id}")
    audit.record(session, staff, "payment_run.confirmed", ("payment_run", run.id), {"status": "approved"},
                 {"status": "confirmed"})
    rows = session.execute(select(Claim, Claimant, Exchange).join(Claimant, Claimant.application_id == Claim.application_id)
                           .outerjoin(Exchange, Exchange.id == Claim.exchange_id)
                           .where(Claim.payment_run_id == run.id).execution_options(populate_existing=True))
    for claim, claimant, exchange in rows:
        emit(session, CLAIM_PAID, claim_event_data(claim, claimant, exchange, None))
    session.flush()


def cancel_run(session: Session, run: PaymentRun, staff: Staff) -> None:
    """Before the payments are released a run can be cancelled: its claims go back to approved."""
    before = run.status
    _status(run, "open", "approved")
    ids = list(session.scalars(select(Claim.id).where(Claim.payment_run_id == run.id, Claim.status == "in_run")))
    session.execute(update(Claim).where(Claim.payment_run_id == run.id, Claim.status == "in_run")
                    .values(status="approved", payment_run_id=None, updated_at=utcnow()),
                    execution_options={"synchronize_session": False})
    run.status, run.closed_by, run.closed_by_name, run.closed_at = "cancelled", staff.id, staff.name, utcnow()
    record_many(session, ids, "removed_from_run", Actor.staff(staff), "in_run", "approved",
                f"payment run {run.id} cancelled")
    audit.record(session, staff, "payment_run.cancelled", ("payment_run", run.id), {"status": before},
                 {"status": "cancelled"})
    session.flush()


def _status(run: PaymentRun, *allowed: str) -> None:
    """409 unless the run is at a step where this can be done, saying why."""
    if run.status in allowed:
        return
    if run.status == "open":
        raise ApiError(409, _("A second member of finance staff must approve this payment run first."),
                       code="not_approved")
    if run.status == "approved":
        raise ApiError(409, _("This payment run has already been approved."), code="invalid_transition")
    raise ApiError(409, _("This payment run has already been confirmed.") if run.status == "confirmed"
                   else _("This payment run has been cancelled."), code="invalid_transition")


def run_claims(session: Session, run: PaymentRun):
    """(claim, claimant or None once erased) of a run, in claim order. A cancelled run has none."""
    return session.execute(select(Claim, Claimant).outerjoin(Claimant, Claimant.application_id == Claim.application_id)
                           .where(Claim.payment_run_id == run.id).order_by(Claim.id)).all()
