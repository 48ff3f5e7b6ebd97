"""Limits per client address, so one script cannot hammer a form.

- Applications: `KX_APPLY_RATE_LIMIT` a minute (default 10).
- Failed sign-ins: `KX_SIGN_IN_FAILURE_LIMIT` in fifteen minutes (default 30). Each account also
  locks after five failures in a row (operations/staff.py); this limit stops one address trying a
  few passwords against many accounts, which the per-account lockout alone would not notice.
  Only failures count, so a busy office behind one address signing in correctly is never refused.

0 turns a limit off. The counts are kept in memory per web process: with several gunicorn workers
each allows the limit, so the effective limit is the limit times the workers. That is enough to
blunt a script; a shared limit would need a table or the gateway's own limiter.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import current_app, request
from flask_babel import gettext as _

from shared.errors import ApiError
from shared.web import runtime


class SlidingWindow:
    """At most `limit` hits per key in any `window` seconds."""

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def full(self, key: str) -> bool:
        """True when `key` has used its allowance; nothing is counted."""
        if self.limit <= 0:
            return False
        with self._lock:
            return len(self._recent(key, self.clock())) >= self.limit

    def allow(self, key: str) -> bool:
        """Count one hit for `key`, unless it has used its allowance (then False, nothing counted)."""
        if self.limit <= 0:
            return True
        now = self.clock()
        with self._lock:
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return False
            hits.append(now)
            if len(self._hits) > 10000:  # forget idle clients so memory stays bounded
                self._hits = {k: v for k, v in self._hits.items() if v and v[-1] > now - self.window}
            return True

    def _recent(self, key: str, now: float) -> deque:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits


class Limit:
    """One named limit: its setting, its default and its window."""

    def __init__(self, setting: str, default: int, window: float):
        self.setting, self.default, self.window = setting, default, window

    def counter(self) -> SlidingWindow:
        """This app's counter, made on first use from the configured limit."""
        key = f"registration.{self.setting}"
        found = current_app.extensions.get(key)
        if found is None:
            found = current_app.extensions.setdefault(key, SlidingWindow(self.configured(), self.window))
        return found

    def configured(self) -> int:
        raw = current_app.config.get(self.setting, runtime().settings.extra.get(self.setting))
        if raw is None or str(raw).strip() == "":
            return self.default
        try:
            return max(int(str(raw).split("/")[0]), 0)  # "10" or "10/min"
        except ValueError:
            return self.default


APPLICATIONS = Limit("KX_APPLY_RATE_LIMIT", 10, 60.0)
SIGN_IN_FAILURES = Limit("KX_SIGN_IN_FAILURE_LIMIT", 30, 15 * 60.0)


def client_address() -> str:
    return request.remote_addr or "unknown"


def check_apply_rate() -> None:
    """429 when this client address has sent too many applications in the last minute."""
    if not APPLICATIONS.counter().allow(client_address()):
        raise ApiError(429, _("Too many applications from this address. Wait a minute and try again."),
                       code="rate_limited", retry_after=60)


def check_sign_in_rate() -> None:
    """429, before any password is checked, when this address has failed to sign in too often."""
    if SIGN_IN_FAILURES.counter().full(client_address()):
        raise ApiError(429, _("Too many failed sign-ins from this address. Wait 15 minutes and try again."),
                       code="rate_limited", retry_after=900)


def count_sign_in_failure() -> None:
    SIGN_IN_FAILURES.counter().allow(client_address())
