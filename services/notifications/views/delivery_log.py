"""The delivery log (admin): search by recipient, one message as it was sent, resend it."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for

from shared.auth import authorise
from shared.web import db, runtime

from ..config import mail_settings
from ..operations import delivery_log as log
from .blueprint import blueprint


@blueprint.get("/")
def index():
    authorise("admin")
    to = (request.args.get("to") or "").strip()[:320]
    return render_template("notifications/index.html", messages=log.delivery_log(db(), to or None), to=to)


@blueprint.get("/messages/<int:message_id>")
def message_page(message_id: int):
    authorise("admin")
    message = log.get_message(db(), message_id)
    return render_template("notifications/message.html", message=message,
                           private=message.template in log.PRIVATE_TEMPLATES,
                           sender=mail_settings(runtime().settings).sender,
                           resent=request.args.get("resent", type=int))


@blueprint.post("/messages/<int:message_id>/resend")
def resend(message_id: int):
    copy = log.resend(db(), message_id, staff=authorise("admin"))
    return redirect(url_for(".message_page", message_id=copy.id, resent=message_id))
