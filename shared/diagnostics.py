"""The bus ping: an operator proves that events flow from one service to every other.

`POST /<service>/api/diagnostics/ping` (admin) emits `system.ping` through the outbox; every
service's `ping` handler records it in its inbox, and `GET /<service>/api/diagnostics/pings/<id>`
answers 200 once that service has handled it.
"""

from __future__ import annotations

import secrets

from flask import Blueprint
from marshmallow import fields

from .api import STAFF, Output, access, response
from .auth import authorise
from .errors import ApiError
from .i18n import _
from .inbox import already_handled
from .outbox import emit
from .service import Handler


def _on_ping(session, envelope, data):
    """Nothing to do: the inbox row written with it is the proof of arrival."""


class PingSent(Output):
    event_id = fields.String(required=True)


class PingArrived(Output):
    event_id = fields.String(required=True)
    service = fields.String(required=True)
    handled = fields.Boolean(required=True)


PING = Handler(name="ping", events=("system.ping",), func=_on_ping)


def blueprint(service) -> Blueprint:
    from .web import csrf, db

    bp = Blueprint(f"{service.name}_diagnostics", __name__, url_prefix=f"{service.prefix}/api/diagnostics")

    @bp.post("/ping")
    @csrf.exempt
    @access(STAFF)
    @response(PingSent, 202)
    def ping():
        """Emit `system.ping` through the outbox (operators)."""
        authorise("admin")
        event_id = emit(db(), "system.ping", {"service": service.name, "nonce": secrets.token_hex(8)})
        return {"event_id": event_id}

    @bp.get("/pings/<event_id>")
    @access(STAFF)
    @response(PingArrived)
    def ping_arrived(event_id):
        """200 once this service has handled that ping."""
        authorise("admin")
        if not already_handled(db(), f"{service.name}.ping", event_id):
            raise ApiError(404, _("This service has not received that ping (yet)."))
        return {"event_id": event_id, "service": service.name, "handled": True}

    return bp
