"""`/privacy/requests`: subject access and erasure requests (admin; operations/privacy_requests.py)."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.web import db, runtime

from ..operations.privacy_requests import (
    access_export,
    make_request,
    newest_requests,
    request_or_404,
    request_progress,
)
from ..outputs import (
    PrivacyExportOutput,
    PrivacyRequestMadeOutput,
    PrivacyRequestOutput,
    privacy_export_file,
)
from ..schemas import PrivacyRequestInput
from .blueprint import blueprint
from .checks import admin

EXPORT = PrivacyExportOutput()


@blueprint.post("/privacy/requests")
@api.access(STAFF, errors=(409,))
@api.response(PrivacyRequestMadeOutput, 202)
@api.authorised_first(admin)
@api.arguments(PrivacyRequestInput)
def create_privacy_request(data):
    """A subject access or erasure request for one email address (admin); every service answers."""
    staff = authorise("admin")
    return make_request(db(), runtime().settings, data["email"], data["kind"], staff.id, staff=staff)


@blueprint.get("/privacy/requests")
@api.access(STAFF)
@api.response(PrivacyRequestOutput(many=True))
@api.authorised_first(admin)
def list_privacy_requests():
    """Every privacy request, newest first (admin)."""
    return [request_progress(db(), r) for r in newest_requests(db())]


@blueprint.get("/privacy/requests/<request_id>")
@api.access(STAFF)
@api.response(PrivacyRequestOutput)
@api.authorised_first(admin)
def show_privacy_request(request_id):
    """One privacy request and which services answered (admin)."""
    return request_progress(db(), request_or_404(db(), request_id))


@blueprint.get("/privacy/requests/<request_id>/export.json")
@api.access(STAFF, errors=(409,))
@api.response(EXPORT)
@api.authorised_first(admin)
def export_privacy_request(request_id):
    """The complete answer to an access request, as a file (admin)."""
    request = request_or_404(db(), request_id)
    return privacy_export_file(access_export(db(), request), request.id)
