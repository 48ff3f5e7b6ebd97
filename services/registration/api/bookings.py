"""`/bookings`: every booking across the programme, for the programme team (admin)."""

from __future__ import annotations

from flask import after_this_request

from shared import api
from shared.api import STAFF
from shared.web import db

from ..operations import bookings_list
from ..outputs import BookingListOutput, BookingTotalsOutput
from ..schemas import BookingsQuery
from .blueprint import blueprint
from .checks import admin


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"  # personal data: never kept by a cache
    return response


@blueprint.get("/bookings")
@api.access(STAFF)
@api.authorised_first(admin)
@api.arguments(BookingsQuery, location="query")
@api.response(BookingListOutput(many=True))
def list_bookings(query):
    """Every booking, newest first, searched (`q`: name, email, organisation), filtered and paged (admin).

    kx addition. The whole selection's size is in the `X-Total-Count` header; its totals are
    `GET /bookings/totals` with the same filters."""
    rows, totals = bookings_list.page(db(), bookings_list.filter_of(query))

    @after_this_request
    def count(response):
        response.headers["X-Total-Count"] = str(totals.bookings)
        return _no_store(response)

    return rows


@blueprint.get("/bookings/totals")
@api.access(STAFF)
@api.authorised_first(admin)
@api.arguments(BookingsQuery, location="query")
@api.response(BookingTotalsOutput)
def booking_totals(query):
    """The selection's totals: applications, bookings, confirmed, waiting, cancelled, attended (admin).

    kx addition. Takes the same filters as `GET /bookings` (paging is ignored)."""
    return bookings_list.totals(db(), bookings_list.filter_of(query))
