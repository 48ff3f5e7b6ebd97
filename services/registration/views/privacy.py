"""The programme team's page of privacy requests (`/registration/staff/privacy`): make a subject
access or erasure request, see each one's due date and which services have answered, download a
complete access request's file. The same operations as the API (operations/privacy_requests.py)."""

from __future__ import annotations

from flask import redirect, request, url_for
from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db, runtime

from ..operations.privacy_requests import (
    access_export,
    make_request,
    newest_requests,
    request_or_404,
    request_progress,
)
from ..outputs import privacy_export_file
from ..schemas import PrivacyRequestInput
from .blueprint import blueprint
from .staff import page, signed_in


@blueprint.route("/staff/privacy", methods=["GET", "POST"])
def privacy_requests():
    staff = signed_in("admin")
    form, errors = {}, {}
    if request.method == "POST":
        form = {name: request.form.get(name, "") for name in ("email", "kind")}
        try:
            data = PrivacyRequestInput().load(form)
            make_request(db(), runtime().settings, data["email"], data["kind"], staff.id, staff=staff)
            return redirect(url_for(".privacy_requests"))
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
        except ApiError as refused:
            errors = {"email": refused.message}
    requests = [request_progress(db(), r) for r in newest_requests(db(), limit=200)]
    return page("registration/staff/privacy.html", 422 if errors else 200, requests=requests, form=form,
                errors=errors)


@blueprint.get("/staff/privacy/<request_id>/export.json")
def privacy_export(request_id):
    """A complete access request's file, from this page: the API's takes a bearer token only."""
    signed_in("admin")
    request_row = request_or_404(db(), request_id)
    return privacy_export_file(access_export(db(), request_row), request_row.id)
