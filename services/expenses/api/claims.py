"""The expenses API (`/expenses/api`), as the contract's "Expenses API" names it, plus additions
written down in docs/expenses.md. Claimants send their manage token; finance a bearer token.
No CSRF (no cookies are trusted here); one commit per request."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import select

from shared.errors import ApiError
from shared.openapi import publish
from shared.web import csrf, db, runtime

from . import exports, operations, queue, receipts, runs
from .access import claim_or_404, claimant_for, finance, own_claim
from .models import Claim, Claimant, ClaimHistory, ClaimItem, Exchange, PaymentRun, Receipt
from .openapi import OPERATIONS as OPENAPI_OPERATIONS
from .presenters import claim_json, history_json, queue_row_json, run_json
from .schemas import (
    AmendInput,
    ApproveInput,
    ClaimInput,
    QuestionInput,
    ReasonInput,
    RunInput,
    TokenInput,
)

blueprint = Blueprint("expenses_api", __name__, url_prefix="/expenses/api")
csrf.exempt(blueprint)


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("The request body must be a JSON object."), code="bad_request")
    return data


def settings():
    return runtime().settings


def lines_of(claim: Claim) -> list[ClaimItem]:
    return list(db().scalars(select(ClaimItem).where(ClaimItem.claim_id == claim.id).order_by(ClaimItem.position)))


def _claim_response(claim: Claim, status: int = 200, for_finance: bool = False):
    exchange = db().get(Exchange, claim.exchange_id)
    claimant = db().get(Claimant, claim.application_id) if for_finance else None
    return jsonify(claim_json(claim, lines_of(claim), exchange, claimant)), status


# --- receipts ------------------------------------------------------------------------------------


@blueprint.post("/receipts")
def upload_receipt():
    claimant = claimant_for(db(), request.form.get("manage_token"))
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, _("Choose a file to upload."), code="invalid", fields={"file": [_("Choose a file to upload.")]})
    receipt = receipts.store(db(), settings(), claimant.application_id, upload.filename,
                             receipts.read_upload(upload.stream))
    return jsonify({"receipt_id": receipt.id, "content_type": receipt.content_type, "size": receipt.size}), 201


@blueprint.get("/receipts/<int:receipt_id>")
def get_receipt(receipt_id):
    """kx addition: the file, to its claimant (`?manage_token=`) or to finance."""
    receipt = db().get(Receipt, receipt_id)
    as_finance = "manage_token" not in request.args
    if as_finance:
        finance()
    else:
        claimant = claimant_for(db(), request.args.get("manage_token"))
        if receipt is None or receipt.application_id != claimant.application_id:
            raise ApiError(404, _("Not found."), code="not_found")
    if receipt is None:
        raise ApiError(404, _("Not found."), code="not_found")
    return receipt_response(receipt, inline=as_finance)


def receipt_response(receipt: Receipt, inline: bool) -> Response:
    """The file, with headers that stop a browser from running or re-reading it as anything else.

    Inline only for finance (to check it beside the claim), and only for PDFs and images.
    """
    path = receipts.path_of(settings(), receipt)
    try:
        content = path.read_bytes()
    except OSError:
        raise ApiError(404, _("The file of this receipt is missing."), code="not_found") from None
    shown = inline and receipt.content_type in ("application/pdf", *receipts.IMAGE_TYPES)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[receipt.content_type]
    name = f"receipt-{receipt.id}.{extension}"
    response = Response(content, mimetype=receipt.content_type)
    response.headers["Content-Disposition"] = f'{"inline" if shown else "attachment"}; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    # No scripts, no forms, no plugins but the browser's own PDF viewer; framable only by our own pages.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; "
        "frame-ancestors 'self'; form-action 'none'; base-uri 'none'")
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- claims: the claimant ----------------------------------------------------------------------------


@blueprint.post("/claims")
def create_claim():
    data = ClaimInput().load(body())
    claimant = claimant_for(db(), data["manage_token"])
    claim = operations.create_claim(db(), claimant, data, settings())
    return _claim_response(claim, 201)


@blueprint.get("/claims/<int:claim_id>")
def get_claim(claim_id):
    if "manage_token" in request.args:
        claim = own_claim(db(), claimant_for(db(), request.args["manage_token"]), claim_id)
        return _claim_response(claim)
    finance()
    return _claim_response(claim_or_404(db(), claim_id), for_finance=True)


@blueprint.put("/claims/<int:claim_id>")
def amend_claim(claim_id):
    data = AmendInput().load(body())
    claimant = claimant_for(db(), data["manage_token"])
    claim = own_claim(db(), claimant, claim_id)
    operations.amend_claim(db(), claim, claimant, data, settings())
    return _claim_response(claim)


@blueprint.post("/claims/<int:claim_id>/withdraw")
def withdraw_claim(claim_id):
    """kx addition: the claimant withdraws a claim not yet decided."""
    claimant = claimant_for(db(), TokenInput().load(body())["manage_token"])
    claim = own_claim(db(), claimant, claim_id)
    operations.withdraw(db(), claim)
    return _claim_response(claim)


# --- claims: finance -------------------------------------------------------------------------------


@blueprint.get("/claims")
def list_claims():
    finance()
    f = queue.Filter.from_args(request.args)
    rows, count, total = queue.page(db(), f)
    response = jsonify([queue_row_json(*row) for row in rows])
    response.headers["X-Total-Count"] = str(count)
    response.headers["X-Total-Pence"] = str(total)
    return response


@blueprint.post("/claims/<int:claim_id>/approve")
def approve(claim_id):
    staff = finance()
    data = ApproveInput().load(request.get_json(silent=True) or {})
    claim = claim_or_404(db(), claim_id, lock=True)
    operations.approve(db(), claim, staff, data["item_ids"], data["note"])
    return _claim_response(claim, for_finance=True)


@blueprint.post("/claims/<int:claim_id>/reject")
def reject(claim_id):
    staff = finance()
    data = ReasonInput().load(body())
    claim = claim_or_404(db(), claim_id, lock=True)
    operations.reject(db(), claim, staff, data["reason"])
    return _claim_response(claim, for_finance=True)


@blueprint.post("/claims/<int:claim_id>/query")
def query(claim_id):
    staff = finance()
    data = QuestionInput().load(body())
    claim = claim_or_404(db(), claim_id, lock=True)
    operations.query(db(), claim, staff, data["question"])
    return _claim_response(claim, for_finance=True)


@blueprint.get("/claims/<int:claim_id>/history")
def history(claim_id):
    finance()
    claim = claim_or_404(db(), claim_id)
    rows = list(db().scalars(select(ClaimHistory).where(ClaimHistory.claim_id == claim.id).order_by(ClaimHistory.id)))
    return jsonify(history_json(rows))


@blueprint.get("/dashboard")
def dashboard():
    """kx addition: claimed, approved and paid by exchange, theme and month."""
    finance()
    return jsonify(queue.dashboard(db()))


# --- payment runs ------------------------------------------------------------------------------------


@blueprint.post("/payment-runs")
def make_run():
    staff = finance()
    data = RunInput().load(request.get_json(silent=True) or {})
    run = runs.make_run(db(), staff, data["claim_ids"])
    return jsonify(run_json(run)), 201


@blueprint.get("/payment-runs")
def list_runs():
    """kx addition: every run, newest first."""
    finance()
    return jsonify([run_json(r) for r in db().scalars(select(PaymentRun).order_by(PaymentRun.id.desc()).limit(200))])


@blueprint.get("/payment-runs/<int:run_id>")
def get_run(run_id):
    finance()
    run = runs.run_or_404(db(), run_id)
    return jsonify(run_json(run, [c.id for c, _ in runs.run_claims(db(), run)]))


@blueprint.post("/payment-runs/<int:run_id>/confirm")
def confirm_run(run_id):
    staff = finance()
    run = runs.run_or_404(db(), run_id, lock=True)
    runs.confirm_run(db(), run, staff)
    return jsonify(run_json(run))


@blueprint.post("/payment-runs/<int:run_id>/cancel")
def cancel_run(run_id):
    """kx addition: cancel a run before it is confirmed; its claims go back to approved."""
    staff = finance()
    run = runs.run_or_404(db(), run_id, lock=True)
    runs.cancel_run(db(), run, staff)
    return jsonify(run_json(run))


@blueprint.get("/payment-runs/<int:run_id>/export.csv")
def export_csv(run_id):
    return export(run_id, "csv")


@blueprint.get("/payment-runs/<int:run_id>/export.xlsx")
def export_xlsx(run_id):
    return export(run_id, "xlsx")


def export(run_id: int, kind: str) -> Response:
    finance()
    run = runs.run_or_404(db(), run_id)
    if run.status == "cancelled":
        raise ApiError(409, _("This payment run was cancelled; it has nothing to pay."), code="invalid_transition")
    current_app.logger.info("payment run %s exported as %s", run.id, kind)
    if kind == "csv":
        content, mimetype = exports.as_csv(db(), run, settings()), "text/csv; charset=utf-8"
    else:
        content = exports.as_xlsx(db(), run, settings())
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="payment-run-{run.id}.{kind}"',
        "Cache-Control": "private, no-store"})


# --- OpenAPI document --------------------------------------------------------------------------------

publish(blueprint, "kx expenses API", OPENAPI_OPERATIONS)
