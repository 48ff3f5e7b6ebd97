"""A participant's pages, reached by their manage link: their exchanges, a reflection and feedback on
each, and feedback on the conference; and each exchange's summary, draft and approved, which they
may put their name to (the summary is co-written with the host)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db

from .. import schemas
from ..models import Reflection
from ..operations import participants, summaries
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
            errors = errors_by_field(error)
        db().rollback()
    exchanges = participants.booked_exchanges(db(), applicant)
    return render_template("learning/manage.html", token=token, exchanges=exchanges,
                           attended=participants.attended_exchanges(db(), applicant),
                           feedback=participants.feedback_of(db(), applicant), errors=errors,
                           form_errors=bool(errors), kind=kind, about=about, form=request.form), 422 if errors else 200


@blueprint.route("/manage/<token>/exchanges/<int:exchange_id>/summary", methods=["GET", "POST"])
def manage_summary(token, exchange_id):
    """The summary of an exchange they took part in: the draft the host is writing and the approved
    version, the reflection they gave and whether it is folded in, and their name on it if they wish."""
    applicant = participants.applicant_for(db(), token)
    exchange = participants.participant_exchange(db(), applicant, exchange_id)
    summary = summaries.summary_of(db(), exchange_id)
    errors, status = {}, 200
    if request.method == "POST":
        try:
            if request.form.get("action") == "remove":
                participants.unsign_summary(db(), applicant, exchange, summary)
                return redirect(url_for(".manage_summary", token=token, exchange_id=exchange_id, done="removed"))
            data = schemas.SignatureInput().load({"name": request.form.get("name", "")})
            participants.sign_summary(db(), applicant, exchange, summary, data["name"])
            return redirect(url_for(".manage_summary", token=token, exchange_id=exchange_id, done="signed"))
        except ValidationError as error:
            errors, status = errors_by_field(error), 422
        except ApiError as error:
            if error.status != 409:
                raise
            errors, status = errors_by_field(error), 409
        db().rollback()
    latest = summaries.version_of(db(), summary, summary.latest_version) if summary else None
    approved = summaries.version_of(db(), summary, summary.approved_version) if summary else None
    signature = participants.signature_of(db(), applicant, exchange_id)
    return render_template(
        "learning/manage_summary.html", token=token, exchange=exchange, summary=summary,
        draft=latest if latest is not None and (approved is None or latest.number != approved.number) else None,
        approved=approved, signature=signature, signatures=participants.signatures_on(db(), exchange_id),
        reflection=db().get(Reflection, (exchange_id, applicant.id)), errors=errors, form_errors=bool(errors),
        name=request.form.get("name", "") if errors else (signature.name if signature else "")), status
