"""The notifications API (`/notifications/api`): bearer tokens, JSON in and out, the one error format.

`GET /messages?to=<email>` (admin) is the contract's; the announcement endpoints are kx's.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from shared.auth import authorise
from shared.errors import ApiError
from shared.openapi import publish
from shared.web import csrf, db

from . import operations
from .openapi import OPERATIONS as OPENAPI_OPERATIONS
from .schemas import AnnouncementIn, AnnouncementOut, MessageOut
from .views import mail

blueprint = Blueprint("notifications_api", __name__, url_prefix="/notifications/api")
# Bearer tokens, not cookies, authenticate API calls: no form can forge them.
csrf.exempt(blueprint)


@blueprint.get("/messages")
def api_messages():
    authorise("admin")
    to = (request.args.get("to") or "").strip()
    if not to:
        raise ApiError(422, _("Give the recipient's email address."), fields={"to": [_("Missing data for required field.")]})
    return jsonify(MessageOut(many=True).dump(operations.delivery_log(db(), to, exact=True)))


@blueprint.get("/exchanges/<int:exchange_id>/announcement")
def api_announcement(exchange_id: int):
    authorise(("host", exchange_id))
    operations.known_exchange(db(), exchange_id)
    current = operations.announcement(db(), exchange_id)
    if current is None:
        raise ApiError(404, _("Not found."))
    return jsonify(AnnouncementOut().dump(current))


@blueprint.put("/exchanges/<int:exchange_id>/announcement")
def api_write_announcement(exchange_id: int):
    staff = authorise(("host", exchange_id))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, _("The request could not be read. Check that the body is a JSON object."))
    values = AnnouncementIn().load(body)
    announcement, sent = operations.write_announcement(db(), mail(), exchange_id, values, staff.id)
    return jsonify({**AnnouncementOut().dump(announcement), "messages_queued": sent})


# --- OpenAPI document --------------------------------------------------------------------------------

publish(blueprint, "kx notifications API", OPENAPI_OPERATIONS)
