"""The bus ping: an operator proves that events flow from one service to every other.

`POST /<service>/api/diagnostics/ping` (admin) emits `system.ping` through the outbox; every
service's `ping` handler records it in its inbox, and `GET /<service>/api/diagnostics/pings/<id>`
answers 200 once that service has handled it.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, jsonify

from .auth import authorise
from .errors import ApiError
from .events import PING as PING_EVENT
from .i18n import _
from .inbox import already_handled
from .outbox import emit
from .service import Handler


def _on_ping(session, envelope, data):
    """Nothing to do: the inbox row written with it is the proof of arrival."""


PING = Handler(name="ping", events=(PING_EVENT,), func=_on_ping)


def blueprint(service) -> Blueprint:
    from .web import csrf, db

    bp = Blueprint(f"{service.name}_diagnostics", __name__, url_prefix=f"{service.prefix}/api/diagnostics")

    @bp.post("/ping")
    @csrf.exempt
    def ping():
        authorise("admin")
        session = db()
        event_id = emit(session, PING_EVENT, {"service": service.name, "nonce": secrets.token_hex(8)})
        session.commit()
        return jsonify({"event_id": event_id}), 202

    @bp.get("/pings/<event_id>")
    def ping_arrived(event_id):
        authorise("admin")
        if not already_handled(db(), f"{service.name}.ping", event_id):
            raise ApiError(404, _("This service has not received that ping (yet)."))
        return jsonify({"event_id": event_id, "service": service.name, "handled": True})

    return bp
