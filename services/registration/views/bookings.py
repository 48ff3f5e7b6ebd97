"""The programme team's bookings page: every booking across the programme, searched, filtered and
counted, with its downloads (CSV and XLSX) in the reader's language."""

from __future__ import annotations

from flask import Response, request
from marshmallow import ValidationError
from sqlalchemy import select

from shared.forms import errors_by_field
from shared.web import db

from ..models import Exchange
from ..operations import bookings_list
from ..outputs import bookings_csv, bookings_xlsx
from ..schemas import BookingsQuery
from .blueprint import blueprint
from .staff import page, signed_in

FILTERS = ("q", "exchange", "status", "participant_type", "stakeholder_group", "page")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen() -> tuple[dict, dict, bookings_list.Filter | None]:
    """What the form asked for, its errors by field, and the filter (None when something is wrong)."""
    given = {name: request.args.get(name, "").strip() for name in FILTERS}
    try:
        return given, {}, bookings_list.filter_of(BookingsQuery().load({k: v for k, v in given.items() if v}))
    except ValidationError as invalid:
        return given, errors_by_field(invalid), None


@blueprint.get("/staff/bookings")
def bookings():
    signed_in("admin")
    given, errors, chosen = _chosen()
    rows, totals = bookings_list.page(db(), chosen) if chosen else ([], bookings_list.Totals())
    per_page = chosen.per_page if chosen else 50
    exchanges = db().execute(select(Exchange.id, Exchange.title).where(Exchange.draft.is_(False))
                             .order_by(Exchange.starts_at, Exchange.id)).all()
    body, status = page("registration/staff/bookings.html", 400 if errors else 200, rows=rows, totals=totals,
                        given=given, errors=errors, exchanges=exchanges,
                        page_number=chosen.page if chosen else 1, pages=max(1, -(-totals.bookings // per_page)))
    return body, status, {"Cache-Control": "no-store"}


@blueprint.get("/staff/bookings.csv", endpoint="bookings_csv", defaults={"kind": "csv"})
@blueprint.get("/staff/bookings.xlsx", endpoint="bookings_xlsx", defaults={"kind": "xlsx"})
def bookings_download(kind):
    signed_in("admin")
    _given, errors, chosen = _chosen()
    if errors:
        return bookings()  # the page, with the filters' errors: a download must match what was asked
    rows = bookings_list.everything(db(), chosen)
    if kind == "csv":
        content, mimetype = bookings_csv(rows, words=True), "text/csv"
    else:
        content, mimetype = bookings_xlsx(rows, words=True), XLSX
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="bookings.{kind}"', "Cache-Control": "no-store"})
