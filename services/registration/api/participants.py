"""`/exchanges/<id>/participants` and `/attendance`: what an exchange's hosts see and record."""

from __future__ import annotations

from flask import Response, after_this_request, request

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.web import db

from .. import operations
from ..outputs import AttendanceOutput, ParticipantOutput, participants_csv
from ..schemas import AttendanceInput
from .blueprint import blueprint
from .checks import admin, host_of


@blueprint.get("/exchanges/<int:exchange_id>/participants")
@api.access(STAFF)
@api.response(ParticipantOutput(many=True))
@api.authorised_first(host_of, admin)
def participants(exchange_id):
    """The exchange's participants (host of it, admin); `Accept: text/csv` for CSV."""
    after_this_request(_no_store)  # personal data: never kept by a cache
    rows = operations.participants(db(), exchange_id)
    if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
        return Response(participants_csv(rows), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="exchange-{exchange_id}-participants.csv"'})
    return rows


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/exchanges/<int:exchange_id>/attendance")
@api.access(STAFF, errors=(409,))
@api.response(AttendanceOutput)
@api.authorised_first(host_of, admin)
@api.arguments(AttendanceInput)
def attendance(data, exchange_id):
    """Record attendance at a stage (host of it, admin); 409 `stage_not_started` for a stage still to come."""
    staff = authorise(host_of(exchange_id), "admin")
    operations.record_attendance(db(), exchange_id, data["email"], data["stage"], data["attended"], staff_id=staff.id,
                                 staff=staff)
    return {"exchange_id": exchange_id, **data}
