"""How many applications one client address may send in a minute (`KX_APPLY_RATE_LIMIT`, default
10; 0 turns the limit off).

The count is kept in memory per web process: with several gunicorn workers each allows the limit,
so the effective limit is the limit times the workers. That is enough to blunt a script hammering
the form; a shared limit would need a table or the gateway's own limiter.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import current_app, request
from flask_babel import gettext as _

from shared.errors import ApiError
from shared.web import runtime

WINDOW_SECONDS = 60.0
DEFAULT_LIMIT = 10


class SlidingWindow:
    """At most `limit` hits per key in any `window` seconds."""

    def __init__(self, limit: int, window: float = WINDOW_SECONDS, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        if self.limit <= 0:
            return True
        now = self.clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10000:  # forget idle clients so memory stays bounded
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
            return True


def configured_limit() -> int:
    raw = current_app.config.get("KX_APPLY_RATE_LIMIT", runtime().settings.extra.get("KX_APPLY_RATE_LIMIT"))
    if raw is None or str(raw).strip() == "":
        return DEFAULT_LIMIT
    try:
        return max(int(str(raw).split("/")[0]), 0)  # "10" or "10/min"
    except ValueError:
        return DEFAULT_LIMIT


def check_apply_rate() -> None:
    """429 when this client address has sent too many applications in the last minute."""
    window = current_app.extensions.get("registration.apply_rate")
    if window is None:
        window = current_app.extensions.setdefault("registration.apply_rate", SlidingWindow(configured_limit()))
    if not window.allow(request.remote_addr or "unknown"):
        raise ApiError(429, _("Too many applications from this address. Wait a minute and try again."),
                       code="rate_limited")
