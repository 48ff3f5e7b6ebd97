"""Hosts' pages: an exchange's participants, their CSV export, and the attendance grid."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for

from shared.auth import current_staff
from shared.db import utcnow
from shared.web import db

from .. import operations
from ..models import Exchange
from ..operations.attendance import STAGES, stage_starts
from ..outputs import participants_csv
from .blueprint import blueprint
from .staff import page, signed_in


@blueprint.get("/staff/exchanges/<int:exchange_id>/participants")
def participants(exchange_id):
    staff = signed_in(("host", exchange_id), "admin")
    exchange = db().get(Exchange, exchange_id) or abort(404)
    response = render_template("registration/staff/participants.html", staff=current_staff(), exchange=exchange,
                               rows=operations.participants(db(), exchange_id), is_admin="admin" in staff.roles,
                               changed=request.args.get("changed") if request.args.get("changed") in (
                                   "cancelled", "moved") else None)
    return response, 200, {"Cache-Control": "no-store"}


@blueprint.get("/staff/exchanges/<int:exchange_id>/participants.csv", endpoint="participants_csv")
def participants_csv_file(exchange_id):
    signed_in(("host", exchange_id), "admin")
    rows = operations.participants(db(), exchange_id)
    return Response(participants_csv(rows, words=True), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="exchange-{exchange_id}-participants.csv"',
        "Cache-Control": "no-store"})


@blueprint.route("/staff/exchanges/<int:exchange_id>/attendance", methods=["GET", "POST"])
def attendance(exchange_id):
    staff = signed_in(("host", exchange_id), "admin")
    exchange = db().get(Exchange, exchange_id) or abort(404)
    rows = operations.participants(db(), exchange_id, include_waitlist=False)
    # a stage still to come has no boxes to tick, only the day it opens
    now = utcnow()
    opens = {stage: starts for stage in STAGES if (starts := stage_starts(exchange, stage)) is not None and starts > now}
    if request.method == "POST":
        shown = set(request.form.getlist("shown"))
        ticked = set(request.form.getlist("attended")) & shown
        for participant in rows:
            for stage in STAGES:
                cell = f"{participant.booking.id}:{stage}"
                if cell not in shown:
                    continue  # added since the page was drawn: leave it alone
                # An unticked box that was never recorded stays unrecorded: saving the grid
                # before the visit must not mark everyone absent from it.
                if cell in ticked or participant.attendance[stage] is True:
                    operations.record_attendance(db(), exchange_id, participant.application.email, stage,
                                                 cell in ticked, staff_id=staff.id, staff=staff)
        return redirect(url_for(".attendance", exchange_id=exchange_id, saved=1))
    return page("registration/staff/attendance.html", exchange=exchange, rows=rows, stages=STAGES, opens=opens,
                saved=request.args.get("saved") == "1")
