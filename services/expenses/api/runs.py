"""Payment runs, four eyes: finance gathers approved claims, a second person approves the run, its
bank file is exported (CSV or a spreadsheet) only then, and a finance user confirms the payments
released (or cancels the run before that)."""

from __future__ import annotations

from flask import Response
from sqlalchemy import select

from shared import api
from shared.api import STAFF
from shared.web import db, runtime

from ..models import PaymentRun
from ..operations import runs
from ..operations.access import finance
from ..outputs import XLSX, RunOutput, bank_file_response
from ..schemas import RunInput
from .blueprint import blueprint


@blueprint.post("/payment-runs")
@api.access(STAFF, errors=(409,))
@api.response(RunOutput, 201)
@api.authorised_first(lambda: "finance")
@api.arguments(RunInput, required=False)
def make_run(data):
    """Gather approved claims into a payment run (finance).

    Without a body (or without `claim_ids`) every approved claim is gathered."""
    return {"run": runs.make_run(db(), finance(), data["claim_ids"])}


@blueprint.get("/payment-runs")
@api.access(STAFF)
@api.response(RunOutput(many=True))
def list_runs():
    """Every payment run, newest first (finance).

    kx addition."""
    finance()
    return [{"run": run} for run in db().scalars(select(PaymentRun).order_by(PaymentRun.id.desc()).limit(200))]


@blueprint.get("/payment-runs/<int:run_id>")
@api.access(STAFF)
@api.response(RunOutput)
def get_run(run_id):
    """A payment run with its claims (finance)."""
    finance()
    run = runs.run_or_404(db(), run_id)
    return {"run": run, "claim_ids": [claim.id for claim, _claimant in runs.run_claims(db(), run)]}


@blueprint.post("/payment-runs/<int:run_id>/approve")
@api.access(STAFF, errors=(409,))
@api.response(RunOutput)
def approve_run(run_id):
    """Approve the run (finance, not the run's maker, nor the approver of a claim in it).

    Only an approved run gives its bank file."""
    staff = finance()
    run = runs.run_or_404(db(), run_id, lock=True)
    runs.approve_run(db(), run, staff)
    return {"run": run}


@blueprint.post("/payment-runs/<int:run_id>/confirm")
@api.access(STAFF, errors=(409,))
@api.response(RunOutput)
def confirm_run(run_id):
    """Payments released: mark the run's claims paid (finance, after a second person approved the run)."""
    staff = finance()
    run = runs.run_or_404(db(), run_id, lock=True)
    runs.confirm_run(db(), run, staff)
    return {"run": run}


@blueprint.post("/payment-runs/<int:run_id>/cancel")
@api.access(STAFF, errors=(409,))
@api.response(RunOutput)
def cancel_run(run_id):
    """Cancel a run whose payments are not released (finance).

    kx addition: its claims go back to approved."""
    staff = finance()
    run = runs.run_or_404(db(), run_id, lock=True)
    runs.cancel_run(db(), run, staff)
    return {"run": run}


@blueprint.get("/payment-runs/<int:run_id>/export.csv")
@api.access(STAFF, errors=(409,))
@api.response(content_type="text/csv")
def export_csv(run_id):
    """The run as CSV (finance, once a second person approved the run; before: 409)."""
    return _export(run_id, "csv")


@blueprint.get("/payment-runs/<int:run_id>/export.xlsx")
@api.access(STAFF, errors=(409,))
@api.response(content_type=XLSX)
def export_xlsx(run_id):
    """The run as a spreadsheet (finance, once a second person approved the run; before: 409)."""
    return _export(run_id, "xlsx")


def _export(run_id: int, kind: str) -> Response:
    finance()
    return bank_file_response(db(), runtime().settings, runs.run_or_404(db(), run_id), kind)
