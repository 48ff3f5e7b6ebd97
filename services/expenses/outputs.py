"""What the expenses API answers: output schemas that list every field (shared.api.Output).

What each reader may see is decided here: bank details are only ever the last four digits of the
account number (`bank`), and a claim names its claimant only to finance (the API gives `claimant`
only when its view puts one in). A claim's answer is a dict, `{"claim": Claim, "items": [ClaimItem],
"exchange": Exchange, "claimant": Claimant}`, so the claim's own fields are read as `claim.<name>`;
a key left out of it is left out of the answer.

Also the one way a receipt's file is answered, to the API and to the claimant's pages alike.
"""

from __future__ import annotations

from flask import Response, current_app
from flask_babel import gettext as _
from marshmallow import fields, missing

from shared.api import DateTime, Output
from shared.errors import ApiError

from .models import ClaimHistory, ClaimItem, Receipt
from .operations import exports, receipts
from .operations.pricing import miles_text
from .vocabularies import describe

#: a journey's fields, only on mileage lines; a cost's, only on the others
JOURNEY_FIELDS = frozenset({"from_place", "to_place", "miles_tenths", "vehicle", "passengers", "working"})
COST_FIELDS = frozenset({"receipt_id", "lost_receipt_reason", "over_cap_reason", "nights"})


class Flags(fields.List):
    """Flag codes for finance, stored space-separated (`Claim.flags`, `ClaimItem.flags`)."""

    def __init__(self, **kwargs):
        super().__init__(fields.String(), **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return value.split() if value else []


class ClaimFlags(Flags):
    """A claim's flags: its lines' and `bank_details_changed` (`Claim.flag_list`); on an answer
    `{"claim": Claim, ...}` whose `claim.flags` are only its lines'."""

    def _serialize(self, value, attr, obj, **kwargs):
        return obj["claim"].flag_list()


class Miles(fields.Float):
    """Tenths of a mile, written as miles (`12.5`)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(miles_text(value).replace(",", ""))


class ItemOutput(Output):
    """A line of a claim: a journey (priced by the server) or a cost (with its receipt)."""

    id = fields.Integer(required=True)
    type = fields.String(required=True)
    date = fields.Date(required=True, attribute="day")
    description = fields.Function(describe, required=True, metadata={"type": "string"})
    amount_pence = fields.Integer(required=True)
    flags = Flags(required=True)
    approved = fields.Boolean(required=True, allow_none=True)
    # a journey's
    from_ = fields.String(data_key="from", attribute="from_place", allow_none=True)
    to = fields.String(attribute="to_place", allow_none=True)
    miles = Miles(attribute="miles_tenths")
    vehicle = fields.String(allow_none=True)
    passengers = fields.Integer(allow_none=True)
    working = fields.String(allow_none=True)
    # a cost's
    receipt_id = fields.Integer(allow_none=True)
    lost_receipt_declaration = fields.String(attribute="lost_receipt_reason", allow_none=True)
    over_cap_reason = fields.String(allow_none=True)
    nights = fields.Integer(allow_none=True)

    def get_attribute(self, obj: ClaimItem, attr: str, default):
        if attr in (COST_FIELDS if obj.type == "mileage" else JOURNEY_FIELDS):
            return missing  # a journey has no receipt, a cost no miles: left out, not null
        return super().get_attribute(obj, attr, default)


class BankOutput(Output):
    """Bank details as anyone but the payment file sees them: the account number's last four digits."""

    account_number_last4 = fields.String(required=True, attribute="bank_last4")


class MaskedBank(fields.Nested):
    """A claim's bank details, masked (BankOutput); null before they are given."""

    def __init__(self, **kwargs):
        super().__init__(BankOutput, allow_none=True, **kwargs)

    def _serialize(self, claim, attr, obj, **kwargs):
        return super()._serialize(claim if claim is not None and claim.bank_last4 else None, attr, obj, **kwargs)


class ExchangeOutput(Output):
    title = fields.String(required=True, allow_none=True)
    theme = fields.String(required=True, allow_none=True)


class ClaimantOutput(Output):
    name = fields.String(required=True, allow_none=True)
    application_id = fields.Integer(required=True)


class ClaimOutput(Output):
    """A claim with its lines; its exchange; for finance its claimant."""

    id = fields.Integer(required=True, attribute="claim.id")
    exchange_id = fields.Integer(required=True, attribute="claim.exchange_id")
    status = fields.String(required=True, attribute="claim.status")
    total_pence = fields.Integer(required=True, attribute="claim.total_pence")
    approved_pence = fields.Integer(required=True, allow_none=True, attribute="claim.approved_pence")
    flags = ClaimFlags(required=True, attribute="claim.flags")
    items = fields.List(fields.Nested(ItemOutput), required=True)
    bank = MaskedBank(required=True, attribute="claim")
    #: when the claimant last replaced the bank details with others (kx addition)
    bank_changed_at = DateTime(required=True, allow_none=True, attribute="claim.bank_changed_at")
    question = fields.String(required=True, allow_none=True, attribute="claim.question")
    answer = fields.String(required=True, allow_none=True, attribute="claim.answer")
    reason = fields.String(required=True, allow_none=True, attribute="claim.reason")
    submitted_at = DateTime(required=True, allow_none=True, attribute="claim.submitted_at")
    approved_at = DateTime(required=True, allow_none=True, attribute="claim.approved_at")
    paid_at = DateTime(required=True, allow_none=True, attribute="claim.paid_at")
    payment_run_id = fields.Integer(required=True, allow_none=True, attribute="claim.payment_run_id")
    exchange = fields.Nested(ExchangeOutput)
    claimant = fields.Nested(ClaimantOutput)


class QueueClaimantOutput(Output):
    name = fields.String(required=True, allow_none=True)


class QueueRowOutput(Output):
    """A claim as finance's queue lists it: `{"claim", "exchange": {title, theme}, "claimant": {name}}`."""

    id = fields.Integer(required=True, attribute="claim.id")
    exchange_id = fields.Integer(required=True, attribute="claim.exchange_id")
    exchange = fields.Nested(ExchangeOutput, required=True)
    claimant = fields.Nested(QueueClaimantOutput, required=True)
    status = fields.String(required=True, attribute="claim.status")
    total_pence = fields.Integer(required=True, attribute="claim.total_pence")
    approved_pence = fields.Integer(required=True, allow_none=True, attribute="claim.approved_pence")
    flags = ClaimFlags(required=True, attribute="claim.flags")
    submitted_at = DateTime(required=True, allow_none=True, attribute="claim.submitted_at")
    bank_changed_at = DateTime(required=True, allow_none=True, attribute="claim.bank_changed_at")


def _actor(row: ClaimHistory) -> str:
    """Who did it: finance staff by name and staff id, the claimant and the system by their name."""
    return row.actor_name if row.actor_kind != "finance" else f"{row.actor_name} (staff {row.actor_id})"


class HistoryOutput(Output):
    """A line of a claim's append-only history."""

    at = DateTime(required=True)
    actor = fields.Function(_actor, required=True, metadata={"type": "string"})
    action = fields.String(required=True)
    from_ = fields.String(data_key="from", attribute="from_status", required=True, allow_none=True)
    to = fields.String(attribute="to_status", required=True)
    note = fields.String(required=True, allow_none=True, attribute="text")


class RunOutput(Output):
    """A payment run; with `claim_ids` when asked for one run (`{"run": PaymentRun, "claim_ids": [...]}`)."""

    id = fields.Integer(required=True, attribute="run.id")
    status = fields.String(required=True, attribute="run.status")
    claims = fields.Integer(required=True, attribute="run.claim_count")
    total_pence = fields.Integer(required=True, attribute="run.total_pence")
    created_by = fields.String(required=True, attribute="run.created_by_name")
    created_at = DateTime(required=True, attribute="run.created_at")
    approved_by = fields.String(required=True, allow_none=True, attribute="run.approved_by_name")
    approved_at = DateTime(required=True, allow_none=True, attribute="run.approved_at")
    closed_by = fields.String(required=True, allow_none=True, attribute="run.closed_by_name")
    closed_at = DateTime(required=True, allow_none=True, attribute="run.closed_at")
    claim_ids = fields.List(fields.Integer())


class BucketOutput(Output):
    """Claims counted, and pence claimed, approved and paid."""

    claims = fields.Integer(required=True)
    claimed_pence = fields.Integer(required=True)
    approved_pence = fields.Integer(required=True)
    paid_pence = fields.Integer(required=True)


class ExchangeBucketOutput(BucketOutput):
    exchange_id = fields.Integer(required=True)
    title = fields.String(required=True)


class ThemeBucketOutput(BucketOutput):
    theme = fields.String(required=True)


class MonthBucketOutput(BucketOutput):
    month = fields.String(required=True)


class DashboardOutput(Output):
    """Claimed, approved and paid, in all and by exchange, theme and month of submission."""

    total = fields.Nested(BucketOutput, required=True)
    by_exchange = fields.List(fields.Nested(ExchangeBucketOutput), required=True)
    by_theme = fields.List(fields.Nested(ThemeBucketOutput), required=True)
    by_month = fields.List(fields.Nested(MonthBucketOutput), required=True)


class ReceiptOutput(Output):
    """A receipt just stored."""

    receipt_id = fields.Integer(required=True, attribute="id")
    content_type = fields.String(required=True)
    size = fields.Integer(required=True)


def receipt_response(settings, receipt: Receipt, inline: bool) -> Response:
    """The file, with headers that stop a browser from running or re-reading it as anything else.

    Inline only for finance (to check it beside the claim), and only for PDFs and images.
    """
    path = receipts.path_of(settings, receipt)
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bank_file_response(session, settings, run, kind: str) -> Response:
    """A payment run's bank file, `csv` or `xlsx`, as a download (the API's and finance's page's)."""
    if run.status == "cancelled":
        raise ApiError(409, _("This payment run was cancelled; it has nothing to pay."), code="invalid_transition")
    if run.status == "open":  # four eyes: nobody, not even its maker, takes the bank details before approval
        raise ApiError(409, _("A second member of finance staff must approve this payment run before its bank file "
                              "can be downloaded."), code="not_approved")
    current_app.logger.info("payment run %s exported as %s", run.id, kind)
    if kind == "csv":
        content, mimetype = exports.as_csv(session, run, settings), "text/csv; charset=utf-8"
    else:
        content, mimetype = exports.as_xlsx(session, run, settings), XLSX
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="payment-run-{run.id}.{kind}"',
        "Cache-Control": "private, no-store"})
