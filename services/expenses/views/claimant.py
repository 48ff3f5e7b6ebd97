"""The claimant's pages, reached through their manage link (no account): which exchanges they may
claim for, the claim form (journeys, costs with receipts, bank details), check your answers, and
the claim's status. Server-rendered, GOV.UK patterns; the allowance is worked out by the server,
and a small same-origin script only asks for it as they type."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from shared.auth import current_staff
from shared.db import database_id
from shared.errors import ApiError
from shared.web import commit_even_when_refused, db, runtime

from ..config import expenses_settings
from ..models import Attendance, Claim, Claimant, Exchange, Receipt
from ..operations import claims, items, receipts
from ..operations.access import claimant_for, own_claim
from ..operations.pricing import pounds, price_journey, tenths_of
from ..outputs import receipt_response
from ..schemas import ItemInput
from ..vocabularies import working_words
from .forms import by_field, date_from, pence_from

blueprint = Blueprint("expenses", __name__, url_prefix="/expenses")


def settings():
    return runtime().settings


@blueprint.get("/")
def index():
    staff = current_staff()
    if staff is not None and staff.has("finance"):
        return redirect(url_for("expenses_finance.queue_page"))
    return render_template("expenses/index.html")


def _claimant(token: str) -> Claimant:
    return claimant_for(db(), token)


@blueprint.get("/manage/<token>")
def manage(token):
    """The claimant's page: exchanges they attended, and their claims."""
    claimant = _claimant(token)
    attended = list(db().scalars(
        select(Exchange).join(Attendance, Attendance.exchange_id == Exchange.id)
        .where(Attendance.application_id == claimant.application_id, Attendance.stage == "exchange",
               Attendance.attended.is_(True)).order_by(Exchange.starts_at)))
    by_exchange = {c.exchange_id: c for c in db().scalars(select(Claim).where(Claim.application_id == claimant.application_id))}
    deadlines = {e.id: claims.claim_deadline(e, settings()) for e in attended}
    return render_template("expenses/manage.html", token=token, claimant=claimant, exchanges=attended, claims=by_exchange,
                           deadlines=deadlines, today=claims.today(),
                           may_claim=claimant.participant_type in claims.CLAIMANT_TYPES)


@blueprint.post("/manage/<token>/exchanges/<int:exchange_id>/claim")
def start(token, exchange_id):
    claimant = _claimant(token)
    try:
        claim = claims.start_claim(db(), claimant, exchange_id, settings())
    except ApiError as error:
        if error.status in (403, 422):
            return render_template("expenses/not_eligible.html", token=token, message=error.message), error.status
        raise
    return redirect(url_for(".claim_page", token=token, claim_id=claim.id))


def _claim(token: str, claim_id: int) -> tuple[Claimant, Claim]:
    claimant = _claimant(token)
    return claimant, own_claim(db(), claimant, claim_id)


@blueprint.get("/manage/<token>/claims/<int:claim_id>")
def claim_page(token, claim_id):
    """The claim as a task list while it can be changed; otherwise its status."""
    _, claim = _claim(token, claim_id)
    exchange = db().get(Exchange, claim.exchange_id)
    changing = claim.status in ("draft", "queried") or (claim.status == "submitted" and request.args.get("change"))
    template = "expenses/claim_tasks.html" if changing else "expenses/claim_status.html"
    return render_template(template, token=token, claim=claim, exchange=exchange, lines=claims.lines_of(db(), claim))


def _editable(claim: Claim) -> None:
    if not claims.editable(claim):
        abort(409)


def _save_line(claim: Claim, new: dict, replace_id: int | None = None) -> None:
    """Add (or replace) one line: the claim's lines are checked again as a whole."""
    current = [items.as_input(i) for i in claims.lines_of(db(), claim) if i.id != replace_id]
    claims.set_items(db(), claim, [*current, new], settings())


def _load_line(raw: dict, form_errors: dict) -> tuple[dict | None, dict[str, str]]:
    """The line loaded by the API's schema, and every error: the form's own (date, amount) first."""
    errors = {name: message for name, message in form_errors.items() if message}
    try:
        loaded = ItemInput().load({k: v for k, v in raw.items() if v is not None or k in ("date",)})
    except ValidationError as error:
        for name, message in by_field(error).items():
            errors.setdefault(name, message)
        return None, errors
    return loaded, errors


@blueprint.route("/manage/<token>/claims/<int:claim_id>/journey", methods=["GET", "POST"])
def journey(token, claim_id):
    _, claim = _claim(token, claim_id)
    _editable(claim)
    errors, quote, form = {}, None, request.form
    if request.method == "POST":
        day, date_error = date_from(form)
        raw = {"type": "mileage", "date": day.isoformat() if day else None, "from": form.get("from", ""),
               "to": form.get("to", ""), "miles": form.get("miles", "").strip() or None,
               "vehicle": form.get("vehicle") or None, "passengers": _int(form.get("passengers")),
               "confirm_long_journey": form.get("confirm_long_journey") == "yes"}
        loaded, errors = _load_line(raw, {"date": date_error})
        try:
            if not errors and form.get("action") == "quote":
                quote = _quote(claim, loaded["date"], loaded["vehicle"], loaded["miles"], loaded["passengers"])
            elif not errors:
                _save_line(claim, loaded)
                return redirect(url_for(".claim_page", token=token, claim_id=claim.id, change=1, saved="journey"))
        except ApiError as error:
            if error.status != 422:
                raise
            db().rollback()
            errors = by_field(error, len(claims.lines_of(db(), claim)))
    limits = expenses_settings(settings()).rates
    tenths = tenths_of(form.get("miles", "")) if request.method == "POST" else None
    return render_template("expenses/journey.html", token=token, claim=claim, errors=errors, form=form,
                           form_errors=bool(errors), quote=quote, limits=limits,
                           long_journey=tenths is not None and tenths > limits.confirm_miles_over * 10), \
        422 if errors else 200


def _int(value):
    value = (value or "").strip()
    if not value:
        return 0
    return int(value) if value.isdecimal() else value  # a non-number is left for the schema to refuse


def _quote(claim: Claim, day, vehicle: str, tenths: int, passengers: int) -> dict:
    """What this journey would be paid, counting the band used by the claim's other journeys."""
    rates = expenses_settings(settings()).rates
    rate = rates.rate_on(day)
    if rate is None or tenths <= 0 or tenths > rates.max_miles * 10:
        return {"amount_pence": None, "amount": "", "working": ""}
    year = items.tax_year(day)
    used = items.band_used_before(db(), claim, year) + sum(
        i.band_tenths for i in claims.lines_of(db(), claim) if i.type == "mileage" and items.tax_year(i.day) == year)
    priced = price_journey(rate, vehicle, tenths, passengers, used)
    return {"amount_pence": priced.pence, "amount": pounds(priced.pence), "working": working_words(priced.working),
            "rate_status": rate.status}


@blueprint.get("/manage/<token>/claims/<int:claim_id>/quote")
def quote(token, claim_id):
    """The allowance as they type (JSON for the page's script); the same sum the server stores."""
    _, claim = _claim(token, claim_id)
    day, error = date_from(request.args)
    tenths = tenths_of(request.args.get("miles", ""))
    vehicle = request.args.get("vehicle")
    passengers = request.args.get("passengers", "0") or "0"
    if error or tenths is None or vehicle not in ("car", "motorcycle", "bicycle") or not passengers.isdecimal() \
            or int(passengers) > 8:
        return jsonify({"amount_pence": None, "amount": "", "working": ""})
    return jsonify(_quote(claim, day, vehicle, tenths, int(passengers) if vehicle == "car" else 0))


@blueprint.route("/manage/<token>/claims/<int:claim_id>/cost", methods=["GET", "POST"])
@commit_even_when_refused  # a good receipt is kept, so they need not upload it again
def cost(token, claim_id):
    claimant, claim = _claim(token, claim_id)
    _editable(claim)
    errors, form = {}, request.form
    if request.method == "POST":
        day, date_error = date_from(form)
        amount, amount_error = pence_from(form.get("amount", ""))
        nights = (form.get("nights") or "").strip()
        raw = {"type": form.get("type") or "", "date": day.isoformat() if day else None,
               "description": form.get("description", ""), "amount_pence": amount,
               "lost_receipt_declaration": form.get("lost_receipt", "").strip() or None,
               "over_cap_reason": form.get("over_cap_reason", "").strip() or None,
               "nights": int(nights) if nights.isdecimal() and form.get("type") == "accommodation" else None,
               "receipt_id": _int(form.get("receipt_id")) or None}
        loaded, errors = _load_line(raw, {"date": date_error, "amount": amount_error})
        upload = request.files.get("receipt")
        try:
            if upload is not None and upload.filename:
                receipt = receipts.upload(db(), settings(), claimant, upload.filename, receipts.read_upload(upload.stream))
                raw["receipt_id"] = receipt.id
                errors.pop("receipt", None)
                if loaded is not None:
                    loaded["receipt_id"] = receipt.id
                else:
                    loaded, errors = _load_line(raw, {"date": date_error, "amount": amount_error})
        except ApiError as error:
            if error.status not in (403, 409, 413, 422):
                db().rollback()  # another refusal keeps nothing, not even the receipt
                raise
            # a refused file is one more error beside the form's others, never instead of them
            errors = {**errors, "receipt": error.message}
        try:
            if not errors:
                _save_line(claim, loaded)
                return redirect(url_for(".claim_page", token=token, claim_id=claim.id, change=1, saved="cost"))
        except ApiError as error:
            if error.status != 422:
                db().rollback()
                raise
            errors = by_field(error, len(claims.lines_of(db(), claim)))
        kept = raw.get("receipt_id")
        if not kept:
            db().rollback()
        form = {**form.to_dict(), "receipt_id": str(kept or "")}
    receipt = _own_receipt(claimant, form.get("receipt_id"))
    return render_template("expenses/cost.html", token=token, claim=claim, errors=errors, form=form, receipt=receipt,
                           form_errors=bool(errors), caps=expenses_settings(settings()).rates.caps), \
        422 if errors else 200


def _own_receipt(claimant: Claimant, receipt_id) -> Receipt | None:
    """The receipt the form carries, if it is this claimant's: another's is neither named nor kept."""
    receipt_id = database_id(receipt_id)
    receipt = db().get(Receipt, receipt_id) if receipt_id else None
    return receipt if receipt is not None and receipt.application_id == claimant.application_id else None


@blueprint.post("/manage/<token>/claims/<int:claim_id>/items/<int:item_id>/remove")
def remove_item(token, claim_id, item_id):
    _, claim = _claim(token, claim_id)
    _editable(claim)
    claims.remove_line(db(), claim, item_id, settings())
    return redirect(url_for(".claim_page", token=token, claim_id=claim.id, change=1))


@blueprint.route("/manage/<token>/claims/<int:claim_id>/bank", methods=["GET", "POST"])
def bank_details(token, claim_id):
    _, claim = _claim(token, claim_id)
    _editable(claim)
    errors, form = {}, {}
    if request.method == "POST":
        form = {k: request.form.get(k, "") for k in ("account_name", "sort_code", "account_number")}
        try:
            claims.set_bank(db(), claim, form, settings())
            return redirect(url_for(".claim_page", token=token, claim_id=claim.id, change=1, saved="bank"))
        except ApiError as error:
            if error.status != 422:
                raise
            errors = by_field(error)
            form = {**form, "account_number": ""}  # never echoed back into a page
    return render_template("expenses/bank.html", token=token, claim=claim, errors=errors, form=form,
                           form_errors=bool(errors)), 422 if errors else 200


@blueprint.route("/manage/<token>/claims/<int:claim_id>/check", methods=["GET", "POST"])
def check(token, claim_id):
    claimant, claim = _claim(token, claim_id)
    _editable(claim)
    errors = {}
    if request.method == "POST":
        try:
            claims.submit(db(), claim, claimant, settings(), declared=request.form.get("declaration") == "yes",
                              answer=request.form.get("answer", "")[:2000])
            return redirect(url_for(".claim_page", token=token, claim_id=claim.id, sent=1))
        except ApiError as error:
            if error.status not in (403, 409, 422):
                raise
            db().rollback()
            errors = by_field(error)
    return render_template("expenses/check.html", token=token, claim=claim, exchange=db().get(Exchange, claim.exchange_id),
                           lines=claims.lines_of(db(), claim), errors=errors, form=request.form, form_errors=bool(errors)), \
        422 if errors else 200


@blueprint.post("/manage/<token>/claims/<int:claim_id>/withdraw")
def withdraw(token, claim_id):
    _, claim = _claim(token, claim_id)
    claims.withdraw(db(), claim)
    return redirect(url_for(".claim_page", token=token, claim_id=claim.id))


@blueprint.get("/manage/<token>/receipts/<int:receipt_id>")
def own_receipt(token, receipt_id):
    claimant = _claimant(token)
    receipt = db().get(Receipt, receipt_id)
    if receipt is None or receipt.application_id != claimant.application_id:
        abort(404)
    return receipt_response(settings(), receipt, inline=False)
