"""Receipts: a claimant uploads one (checked by its content), and it is read back by its claimant
or by finance."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from shared import api
from shared.api import STAFF_OR_TOKEN, TOKEN
from shared.errors import ApiError
from shared.web import db, runtime

from ..models import Receipt
from ..operations import receipts
from ..operations.access import claimant_for, finance
from ..outputs import ReceiptOutput, receipt_response
from ..schemas import ManageTokenQuery, ReceiptForm
from .blueprint import blueprint


@blueprint.post("/receipts")
@api.access(TOKEN, errors=(403, 409, 413, 422))
@api.arguments(ReceiptForm, location="form", files=("file",))
@api.response(ReceiptOutput, 201)
def upload_receipt(form):
    """Upload a receipt (PDF, JPEG or PNG by content, at most 10 MB) for the claimant of `manage_token`.

    Only a claimant who may claim now (403 `not_expert_by_experience`, `no_claim_open`); at most 50
    each (409 `too_many_receipts`); one on no claim line 24 hours later is deleted."""
    claimant = claimant_for(db(), form["manage_token"])
    upload = request.files.get("file")
    if upload is None:
        raise ApiError(422, _("Choose a file to upload."), code="invalid", fields={"file": [_("Choose a file to upload.")]})
    return receipts.upload(db(), runtime().settings, claimant, upload.filename, receipts.read_upload(upload.stream))


@blueprint.get("/receipts/<int:receipt_id>")
@api.access(STAFF_OR_TOKEN)
@api.arguments(ManageTokenQuery, location="query")
@api.response(content_type="application/octet-stream")
def get_receipt(query, receipt_id):
    """A receipt's file: to its claimant (`?manage_token=`, as an attachment) or to finance (inline).

    kx addition."""
    receipt = db().get(Receipt, receipt_id)
    as_finance = "manage_token" not in query
    if as_finance:
        finance()
    else:
        claimant = claimant_for(db(), query["manage_token"])
        if receipt is None or receipt.application_id != claimant.application_id:
            raise ApiError(404, _("Not found."), code="not_found")
    if receipt is None:
        raise ApiError(404, _("Not found."), code="not_found")
    return receipt_response(runtime().settings, receipt, inline=as_finance)
