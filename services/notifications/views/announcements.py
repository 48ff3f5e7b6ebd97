"""A host's joining information on a page: write it, and it is sent to the participants."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.auth import authorise
from shared.forms import errors_by_field
from shared.web import db, runtime

from ..config import mail_settings
from ..operations.announcements import FIELDS, announcement, known_exchange, write_announcement
from ..schemas import ANNOUNCEMENT_LIMIT, AnnouncementIn
from .blueprint import blueprint


@blueprint.route("/exchanges/<int:exchange_id>/announcement", methods=["GET", "POST"])
def announcement_page(exchange_id: int):
    staff = authorise(("host", exchange_id), "admin")
    exchange = known_exchange(db(), exchange_id)
    current = announcement(db(), exchange_id)
    values = {name: (getattr(current, name) if current else "") or "" for name in FIELDS}
    errors, sent = {}, request.args.get("sent", type=int)
    if request.method == "POST":
        values = {name: (request.form.get(name) or "").strip() for name in FIELDS}
        try:
            loaded = AnnouncementIn().load(values)
        except ValidationError as error:
            errors = errors_by_field(error)
        else:
            _, sent = write_announcement(db(), mail_settings(runtime().settings), exchange_id, loaded, staff.id,
                                         staff=staff)
            return redirect(url_for(".announcement_page", exchange_id=exchange_id, sent=sent))
    return render_template("notifications/announcement.html", exchange=exchange, announcement=current,
                           values=values, errors=errors, form_errors=bool(errors), sent=sent,
                           limit=ANNOUNCEMENT_LIMIT), 422 if errors else 200
