"""A message from the programme team to people, on a page: write it in English and Welsh, see who
it reaches and how it reads (the preview), then send it."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.auth import authorise
from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db, runtime

from ..config import mail_settings
from ..operations import messages_to_people as to_people
from ..schemas import MESSAGE_LIMIT, SUBJECT_LIMIT, MessageToPeopleIn
from .blueprint import blueprint

FORM_FIELDS = ("kind", "exchange_id", "theme", *to_people.TEXTS)
#: where the form shows a problem with a part of the audience
AUDIENCE_FIELDS = {"audience": "kind", "audience.kind": "kind", "audience.id": "exchange_id",
                   "audience.code": "theme"}


def _loaded(form: dict) -> dict:
    """The form as the API's body, loaded with the API's schema (ValidationError when wrong)."""
    exchange_id = form["exchange_id"]
    audience = {"kind": form["kind"] or None,
                "id": int(exchange_id) if exchange_id.isdigit() and len(exchange_id) < 10 else None,
                "code": form["theme"] or None}
    if form["kind"] in ("exchange_confirmed", "exchange_waiting") and exchange_id and audience["id"] is None:
        raise ValidationError({"audience": {"id": ["Choose an exchange from the list"]}})
    return MessageToPeopleIn().load({"audience": audience, **{name: form[name] for name in to_people.TEXTS}})


@blueprint.route("/messages/new", methods=["GET", "POST"])
def message_to_people_page():
    staff = authorise("admin")
    exchanges, themes = to_people.choices(db())
    form = {name: (request.form.get(name) or "").strip() for name in FORM_FIELDS}
    errors, preview, status = {}, None, 200
    if request.method == "POST" and request.form.get("action") != "change":
        try:
            values = _loaded(form)
            people = to_people.recipients(db(), values["audience"])
            if request.form.get("action") == "send":
                texts = {name: values[name] for name in to_people.TEXTS}
                queued = to_people.send(db(), mail_settings(runtime().settings), values["audience"], texts, staff)
                return redirect(url_for(".message_to_people_page", sent=queued))
            preview = {"people": len(people), **to_people.languages(people)}
        except (ValidationError, ApiError) as refusal:
            errors = errors_by_field(refusal, lambda path: AUDIENCE_FIELDS.get(path, path))
            status = 422
    return render_template("notifications/message_to_people.html", form=form, errors=errors, preview=preview,
                           exchange_options=[(str(e.id), e.title, e.starts_at) for e in exchanges],
                           theme_options=[(theme, theme, None) for theme in themes], sent=request.args.get("sent", type=int),
                           subject_limit=SUBJECT_LIMIT, message_limit=MESSAGE_LIMIT), status
