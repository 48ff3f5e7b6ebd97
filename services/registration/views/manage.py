"""The applicant's manage page (`/registration/manage/<token>`): their bookings and each one's
status, cancelling one (after a confirm page), links to the other services' pages that the same
manage token opens (feedback and reflections in learning, travel expenses in expenses), and
getting a new link in place of this one (operations/manage_links.py).

An unknown token gets the friendly 404 page, saying nothing of why. Pages carry personal data and the
token is in the address: `Cache-Control: no-store` (and `Referrer-Policy: no-referrer` from shared/web.py).
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from shared.bilingual import text_in
from shared.errors import ApiError
from shared.manage_tokens import expenses_link, learning_link
from shared.web import db, runtime

from .. import operations
from ..models import ACTIVE
from ..operations import manage_links
from ..operations.applications import application_with_bookings
from .apply import start_again

blueprint = Blueprint("manage", __name__, url_prefix="/manage")

#: who may claim travel expenses (expenses' CLAIMANT_TYPES)
CLAIMANT_TYPES = ("experience", "both")
NO_STORE = {"Cache-Control": "no-store"}


@blueprint.get("/<token>")
def page(token):
    application = application_with_bookings(db(), operations.application_for_token(db(), token))
    cancelled = request.args.get("cancelled", type=int)
    notice = next((text_in(b["exchange"], "title") for b in application["bookings"]
                   if b["exchange_id"] == cancelled and b["status"] == "cancelled"), None)
    # the other services' pages for the same token (one origin: the gateway routes by prefix)
    links = {"feedback": learning_link(token)}
    if application["applicant"]["participant_type"] in CLAIMANT_TYPES:
        links["expenses"] = expenses_link(token)
    return render_template("registration/manage/page.html", token=token, application=application,
                           cancelled_title=notice, links=links), 200, NO_STORE


@blueprint.route("/<token>/bookings/<int:exchange_id>/cancel", methods=["GET", "POST"])
def cancel(token, exchange_id):
    """GET: "are you sure?"; POST (CSRF): cancel, then back to the manage page with a notice."""
    application = application_with_bookings(db(), operations.application_for_token(db(), token))
    booking = next((b for b in application["bookings"] if b["exchange_id"] == exchange_id
                    and b["status"] in ACTIVE), None)
    if booking is None:
        if any(b["exchange_id"] == exchange_id for b in application["bookings"]):
            return redirect(url_for(".page", token=token), 303)  # already cancelled
        raise ApiError(404, _("There is no booking on that exchange."), code="not_found")
    if request.method == "GET":
        return render_template("registration/manage/cancel.html", token=token, booking=booking), 200, NO_STORE
    operations.cancel_booking(db(), token, exchange_id)
    return redirect(url_for(".page", token=token, cancelled=exchange_id), 303)


@blueprint.post("/<token>/apply")
def apply_again(token):
    """POST (CSRF): "Apply for more exchanges": the apply journey with this person's answers and
    link, so the new bookings join this page (views/apply.py `start_again`)."""
    application = operations.application_for_token(db(), token)
    return redirect(start_again(token, application), 303)


@blueprint.post("/<token>/link")
def new_link(token):
    """POST (CSRF): a new link emailed in place of this one, which stops working at once."""
    application = operations.application_for_token(db(), token)
    manage_links.replace_from_manage_page(db(), runtime().settings, application)
    return render_template("registration/manage/link_sent.html", title=_("Check your email"),
                           message=manage_links.replaced_message()), 200, NO_STORE
