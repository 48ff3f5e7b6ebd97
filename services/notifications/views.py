"""Notifications pages (the API is in `api/`).

Staff (admin): the delivery log with search by recipient, each message, resend. Hosts (and
admins): an exchange's joining information, on a page and through the API.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from marshmallow import ValidationError

from shared.auth import authorise
from shared.forms import errors_by_field
from shared.web import db, runtime, vocabularies

from . import operations
from .announcements import FIELDS
from .config import mail_settings
from .schemas import ANNOUNCEMENT_LIMIT, AnnouncementIn
from .vocabularies import MESSAGE_STATUSES, TEMPLATES

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")

vocabularies(blueprint, MESSAGE_STATUSES=MESSAGE_STATUSES, TEMPLATES=TEMPLATES)


def mail():
    return mail_settings(runtime().settings)


@blueprint.get("/")
def index():
    authorise("admin")
    to = (request.args.get("to") or "").strip()[:320]
    return render_template("notifications/index.html", messages=operations.delivery_log(db(), to or None), to=to)


@blueprint.get("/messages/<int:message_id>")
def message_page(message_id: int):
    authorise("admin")
    message = operations.get_message(db(), message_id)
    return render_template("notifications/message.html", message=message,
                           sender=mail().sender, resent=request.args.get("resent", type=int))


@blueprint.post("/messages/<int:message_id>/resend")
def resend(message_id: int):
    authorise("admin")
    copy = operations.resend(db(), message_id)
    return redirect(url_for(".message_page", message_id=copy.id, resent=message_id))


@blueprint.route("/exchanges/<int:exchange_id>/announcement", methods=["GET", "POST"])
def announcement_page(exchange_id: int):
    staff = authorise(("host", exchange_id))
    exchange = operations.known_exchange(db(), exchange_id)
    current = operations.announcement(db(), exchange_id)
    values = {name: getattr(current, name) if current else "" for name in FIELDS}
    errors, sent = {}, request.args.get("sent", type=int)
    if request.method == "POST":
        values = {name: (request.form.get(name) or "").strip() for name in FIELDS}
        try:
            loaded = AnnouncementIn().load(values)
        except ValidationError as error:
            errors = errors_by_field(error)
        else:
            _, sent = operations.write_announcement(db(), mail(), exchange_id, loaded, staff.id)
            return redirect(url_for(".announcement_page", exchange_id=exchange_id, sent=sent))
    return render_template("notifications/announcement.html", exchange=exchange, announcement=current,
                           values=values, errors=errors, form_errors=bool(errors), sent=sent,
                           limit=ANNOUNCEMENT_LIMIT), 422 if errors else 200

