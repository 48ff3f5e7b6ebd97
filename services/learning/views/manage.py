"""A participant's page, reached by their manage link: their exchanges, a reflection and feedback on
each, and feedback on the conference."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db

from .. import schemas
from ..operations import participants
from .blueprint import blueprint
from .forms import form_field


@blueprint.route("/manage/<token>", methods=["GET", "POST"])
def manage(token):
    """A participant's page: their exchanges, a reflection and feedback on each, and the conference."""
    applicant = participants.applicant_for(db(), token)
    errors, kind, about = {}, request.form.get("kind"), request.form.get("about", "")
    if request.method == "POST":
        try:
            if kind == "reflection":
                data = schemas.ReflectionInput().load({
                    "manage_token": token, "exchange_id": request.form.get("exchange_id", type=int) or 0,
                    "text": request.form.get("text", ""), "credit_as": request.form.get("credit_as", "")})
                participants.save_reflection(db(), applicant, data)
            else:
                rating = request.form.get("rating", "")
                data = schemas.FeedbackInput().load({
                    "manage_token": token, "about": about, "rating": int(rating) if rating.isdecimal() else None,
                    "would_recommend": {"yes": True, "no": False}.get(request.form.get("would_recommend")),
                    "comment": request.form.get("comment", "")})
                participants.give_feedback(db(), applicant, data)
            return redirect(url_for(".manage", token=token, saved=kind))
        except ValidationError as error:
            errors = errors_by_field(error, form_field)
        except ApiError as error:
            if error.status != 403:
                raise
            errors = {"_schema": [error.message]}
        db().rollback()
    exchanges = participants.booked_exchanges(db(), applicant)
    return render_template("learning/manage.html", token=token, exchanges=exchanges,
                           attended=participants.attended_exchanges(db(), applicant),
                           feedback=participants.feedback_of(db(), applicant), errors=errors,
                           form_errors=bool(errors), kind=kind, about=about, form=request.form), 422 if errors else 200
