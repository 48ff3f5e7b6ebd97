"""The programme team's page of privacy requests (`/registration/staff/privacy`): make a subject
access or erasure request, see each one's due date and which services have answered, download a
complete access request's file. The same operations as the API (privacy_requests.py)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from shared.auth import authorise
from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db, runtime

from .models import PrivacyRequest
from .privacy_requests import PrivacyRequestInput, make_request, request_json
from .staff import page

blueprint = Blueprint("registration_privacy_pages", __name__, url_prefix="/registration/staff")


def _programme_team():
    """Admin only; an anonymous visitor is sent to sign in and brought back (as staff.signed_in)."""
    try:
        return authorise("admin")
    except ApiError as refused:
        if refused.status == 401:
            abort(redirect(url_for("registration_staff.login", next=request.full_path.rstrip("?"))))
        raise


@blueprint.route("/privacy", methods=["GET", "POST"])
def requests_page():
    staff = _programme_team()
    form, errors = {}, {}
    if request.method == "POST":
        form = {name: request.form.get(name, "") for name in ("email", "kind")}
        try:
            data = PrivacyRequestInput().load(form)
            make_request(db(), runtime().settings, data["email"], data["kind"], staff.id)
            return redirect(url_for(".requests_page"))
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
        except ApiError as refused:
            errors = {"email": refused.message}
    requests = [request_json(db(), r) for r in
                db().scalars(select(PrivacyRequest).order_by(PrivacyRequest.received_at.desc()).limit(200))]
    return page("registration/staff/privacy.html", 422 if errors else 200, requests=requests, form=form,
                errors=errors)
