"""`/bookings`: every booking across the programme, for the programme team (admin)."""

from __future__ import annotations

from flask import after_this_request

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.web import db

from ..operations import bookings_list, staff_bookings
from ..outputs import BookingListOutput, BookingTotalsOutput, StaffBookingOutput
from ..schemas import BookingsQuery, StaffCancelInput, StaffMoveInput
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


@blueprint.post("/bookings/<int:booking_id>/cancel")
@api.access(STAFF, errors=(409,))
@api.authorised_first(admin)
@api.arguments(StaffCancelInput)
@api.response(StaffBookingOutput)
def cancel_for(data, booking_id):
    """Cancel a booking for the person, with the reason they are told (admin).

    kx addition (issue 15). Audited `booking.cancelled`; the waiting list is promoted; 409
    `already_cancelled`."""
    return staff_bookings.cancel_for(db(), booking_id, data["reason"], authorise("admin"))


@blueprint.post("/bookings/<int:booking_id>/move")
@api.access(STAFF, errors=(409,))
@api.authorised_first(admin)
@api.arguments(StaffMoveInput)
@api.response(StaffBookingOutput)
def move_for(data, booking_id):
    """Move a booking to another exchange: a confirmed place if one is free to them, else its waiting list (admin).

    kx addition (issue 15). Answers the new booking. Audited `booking.moved`; the old exchange's
    waiting list is promoted; 409 `already_cancelled` or `already_booked` (they hold one there)."""
    moved = staff_bookings.move_for(db(), booking_id, data["exchange_id"], data["reason"], authorise("admin"))
    return moved.new
