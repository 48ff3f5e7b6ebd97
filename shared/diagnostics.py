"""The bus ping: an operator proves that events flow from one service to every other.

`POST /<service>/api/diagnostics/ping` (admin) emits `system.ping` through the outbox; every
service's `ping` handler records it in its inbox, and `GET /<service>/api/diagnostics/pings/<id>`
answers 200 once that service has handled it. The two routes are every app's, so
`shared/web.py` serves them beside `healthz`; what they do is here.
"""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session

from .events import PING as PING_EVENT
from .inbox import already_handled
from .outbox import emit
from .service import Handler, Service


def _on_ping(session, envelope, data):
    """Nothing to do: the inbox row written with it is the proof of arrival."""


PING = Handler(name="ping", events=(PING_EVENT,), func=_on_ping)


def send_ping(session: Session, service: Service) -> str:
    """Emit a ping from `service` through its outbox; returns the event id to wait for."""
    return emit(session, PING_EVENT, {"service": service.name, "nonce": secrets.token_hex(8)})


def ping_arrived(session: Session, service: Service, event_id: str) -> bool:
    """Whether `service`'s ping handler has handled that ping."""
    return already_handled(session, f"{service.name}.{PING.name}", event_id)
