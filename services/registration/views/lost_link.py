""""Lost your link?" (`/registration/link`): an applicant gives their email and each of their
applications gets a new manage link by email (operations/manage_links.py). The same page answers
whatever the email, so it tells nobody who has applied."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from shared.forms import errors_by_field
from shared.web import db, runtime

from ..operations import manage_links
from ..operations.ratelimit import client_address
from ..schemas import LinkRequestInput
from .blueprint import blueprint


@blueprint.route("/link", methods=["GET", "POST"])
def lost_link():
    form, errors = {}, {}
    if request.method == "POST":
        form = {"email": request.form.get("email", "").strip()}
        try:
            data = LinkRequestInput().load(form)
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
        else:
            manage_links.send_links_again(db(), runtime().settings, data["email"], client_address())
            return render_template("registration/manage/link_sent.html", title=_("Check your email"),
                                   message=manage_links.sent_message()), 200
    return render_template("registration/manage/lost.html", form=form, errors=errors,
                           form_errors=bool(errors)), 422 if errors else 200
