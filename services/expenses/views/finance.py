"""Finance pages: the queue, a claim with its receipts, flags and history and the decisions on it,
payment runs with their exports and the second person's confirmation, and the dashboard."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from shared.errors import ApiError
from shared.web import db, runtime

from ..config import expenses_settings
from ..models import Claim, Claimant, ClaimHistory, Exchange, PaymentRun, Receipt
from ..operations import claims, exports, queue, runs
from ..operations.access import claim_or_404, claims_own, finance
from ..outputs import bank_file_response, receipt_response
from ..vocabularies import dashboard_words, history_rows
from .forms import by_field

blueprint = Blueprint("expenses_finance", __name__, url_prefix="/expenses/finance")


@blueprint.get("/")
def queue_page():
    finance()
    errors = {}
    try:
        f = queue.Filter.from_args(request.args)
    except ApiError as error:
        errors, f = by_field(error), queue.Filter(statuses=queue.DEFAULT_STATUSES)
    rows, count, total = queue.page(db(), f)
    exchanges = list(db().scalars(select(Exchange).order_by(Exchange.title)))
    themes = sorted({e.theme for e in exchanges})
    return render_template("expenses/finance/queue.html", rows=rows, count=count, total=total, f=f, errors=errors,
                           form_errors=bool(errors), exchanges=exchanges, themes=themes, flags=queue.FLAGS,
                           statuses=[s for s in queue.STATUSES if s != "draft"], args=request.args,
                           pages=max(1, -(-count // f.per_page)))


@blueprint.get("/claims/<int:claim_id>")
def claim_page(claim_id, errors=None, status=200):
    staff = finance()
    claim = claim_or_404(db(), claim_id)
    claimant = db().get(Claimant, claim.application_id)
    lines = claims.lines_of(db(), claim)
    receipts = {r.id: r for r in db().scalars(select(Receipt).where(Receipt.id.in_([i.receipt_id for i in lines if i.receipt_id])))}
    history = list(db().scalars(select(ClaimHistory).where(ClaimHistory.claim_id == claim.id).order_by(ClaimHistory.id)))
    return render_template("expenses/finance/claim.html", claim=claim, lines=lines, receipts=receipts,
                           history=history_rows(history),
                           claimant=claimant, own=claims_own(staff, claimant),
                           exchange=db().get(Exchange, claim.exchange_id), errors=errors or {},
                           form_errors=bool(errors), form=request.form), status


@blueprint.post("/claims/<int:claim_id>/<action>")
def decide(claim_id, action):
    staff = finance()
    claim = claim_or_404(db(), claim_id, lock=True)
    form = request.form
    try:
        if action == "approve":
            chosen = [int(i) for i in form.getlist("lines") if i.isdecimal()]
            every = form.get("scope") != "selected"
            claims.approve(db(), claim, staff, None if every else chosen, form.get("note", "")[:2000])
        elif action == "reject":
            claims.reject(db(), claim, staff, form.get("reason", "")[:2000])
        elif action == "query":
            claims.query(db(), claim, staff, form.get("question", "")[:2000])
        else:
            raise ApiError(404, _("Not found."))
    except ApiError as error:
        if error.status not in (409, 422) and error.code != "own_claim":
            raise
        db().rollback()
        return claim_page(claim_id, errors=by_field(error, message_field="_schema" if error.status == 403 else action),
                          status=error.status)
    return redirect(url_for(".claim_page", claim_id=claim_id, done=action))


@blueprint.route("/runs", methods=["GET", "POST"])
def runs_page():
    staff = finance()
    error = None
    if request.method == "POST":
        try:
            run = runs.make_run(db(), staff)
            return redirect(url_for(".run_page", run_id=run.id))
        except ApiError as problem:
            if problem.status != 409 and problem.code != "own_claim":
                raise
            db().rollback()
            error = problem
    ready, ready_pence = db().execute(select(func.count(Claim.id), func.coalesce(
        func.sum(func.coalesce(Claim.approved_pence, Claim.total_pence)), 0)).where(Claim.status == "approved")).one()
    return render_template("expenses/finance/runs.html", runs=list(db().scalars(
        select(PaymentRun).order_by(PaymentRun.id.desc()).limit(100))), ready=ready, ready_pence=ready_pence,
        errors={"_schema": error.message} if error else {}, form_errors=bool(error)), error.status if error else 200


@blueprint.get("/runs/<int:run_id>")
def run_page(run_id, error=None, status=200):
    staff = finance()
    run = runs.run_or_404(db(), run_id)
    blocked = exports.unpayable(db(), run, runtime().settings) if run.status in ("open", "approved") else []
    return render_template("expenses/finance/run.html", run=run, rows=runs.run_claims(db(), run), me=staff,
                           blocked=exports.unpayable_message(blocked) if blocked else None,
                           errors={"_schema": error} if error else {}, form_errors=bool(error)), status


@blueprint.get("/runs/<int:run_id>/export.csv")
def run_csv(run_id):
    """The bank file, from the run's page: the API's `export.csv` takes a bearer token only."""
    finance()
    return bank_file_response(db(), runtime().settings, runs.run_or_404(db(), run_id), "csv")


@blueprint.get("/runs/<int:run_id>/export.xlsx")
def run_xlsx(run_id):
    finance()
    return bank_file_response(db(), runtime().settings, runs.run_or_404(db(), run_id), "xlsx")


@blueprint.get("/receipts/<int:receipt_id>")
def receipt_file(receipt_id):
    """A receipt shown beside its claim (inline); the API's takes a bearer token only."""
    finance()
    receipt = db().get(Receipt, receipt_id)
    if receipt is None:
        raise ApiError(404, _("Not found."), code="not_found")
    return receipt_response(runtime().settings, receipt, inline=True)


#: the run's steps that each have a check page saying what will happen, and the run status they start from
CHECKED_STEPS = {"approve": "open", "confirm": "approved"}


@blueprint.get("/runs/<int:run_id>/approve")
def approve_check(run_id):
    return _check_page(run_id, "approve")


@blueprint.get("/runs/<int:run_id>/confirm")
def confirm_check(run_id):
    return _check_page(run_id, "confirm")


def _check_page(run_id: int, step: str):
    """What approving (or recording the payments released) will do, and a button to do it; a run
    past that step goes back to its page."""
    finance()
    run = runs.run_or_404(db(), run_id)
    if run.status != CHECKED_STEPS[step]:
        return redirect(url_for(".run_page", run_id=run_id))
    return render_template("expenses/finance/run_check.html", run=run, step=step)


@blueprint.post("/runs/<int:run_id>/<action>")
def run_action(run_id, action):
    staff = finance()
    run = runs.run_or_404(db(), run_id, lock=True)
    try:
        if action == "approve":
            runs.approve_run(db(), run, staff)
        elif action == "confirm":
            runs.confirm_run(db(), run, staff)
        elif action == "cancel":
            runs.cancel_run(db(), run, staff)
        else:
            raise ApiError(404, _("Not found."))
    except ApiError as error:
        if error.status not in (403, 409):
            raise
        db().rollback()
        return run_page(run_id, error=error.message, status=error.status)
    return redirect(url_for(".run_page", run_id=run_id, done=action))


@blueprint.get("/dashboard")
def dashboard():
    finance()
    return render_template("expenses/finance/dashboard.html", figures=dashboard_words(queue.dashboard(db())),
                           rates=expenses_settings(runtime().settings).rates)
