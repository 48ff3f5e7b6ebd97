"""The programme team cancels or moves a booking for someone who phoned: one form each, which is
also the check page (who, which exchange, what will happen), with the reason they are told."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from sqlalchemy import select

from shared.errors import ApiError
from shared.web import db

from ..models import Application, Booking, Exchange
from ..operations import staff_bookings
from .blueprint import blueprint
from .staff import page, signed_in


def _booking(booking_id: int) -> tuple[Booking, Application, Exchange]:
    booking = db().get(Booking, booking_id) or abort(404)
    return booking, db().get(Application, booking.application_id), db().get(Exchange, booking.exchange_id)


@blueprint.route("/staff/bookings/<int:booking_id>/cancel", methods=["GET", "POST"])
def cancel_booking_for(booking_id):
    return _change(booking_id, "cancel", lambda staff: staff_bookings.cancel_for(
        db(), booking_id, request.form.get("reason", ""), staff))


@blueprint.route("/staff/bookings/<int:booking_id>/move", methods=["GET", "POST"])
def move_booking_for(booking_id):
    return _change(booking_id, "move", lambda staff: staff_bookings.move_for(
        db(), booking_id, _chosen_exchange(), request.form.get("reason", ""), staff))


def _chosen_exchange() -> int:
    try:
        return int(request.form.get("exchange_id") or 0)
    except ValueError:
        return 0  # no such exchange: refused beside the field


def _change(booking_id: int, action: str, change):
    """The check page; on POST the change, then back to the exchange's participants."""
    staff = signed_in("admin")
    booking, application, exchange = _booking(booking_id)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            change(staff)
            return redirect(url_for(".participants", exchange_id=exchange.id,
                                    changed="moved" if action == "move" else "cancelled"))
        except ApiError as refused:
            errors, status = _errors(refused), refused.status
    others = db().execute(select(Exchange.id, Exchange.title, Exchange.starts_at)
                          .where(Exchange.id != exchange.id, Exchange.draft.is_(False))
                          .order_by(Exchange.starts_at, Exchange.id)).all() if action == "move" else []
    return page("registration/staff/booking_change.html", status, action=action, booking=booking,
                application=application, exchange=exchange, errors=errors, given=request.form, others=others)


def _errors(refused: ApiError) -> dict:
    """The refusal by field; one not tied to a field (already cancelled, already booked) at the top."""
    if refused.fields:
        return {name: messages[0] for name, messages in refused.fields.items()}
    return {"_schema": refused.message}
