"""Limits on applications and failed sign-ins, so one script cannot hammer a form.

- Applications, counted in the database (shared/ratelimit.py, shared by every web process):
  `KX_APPLY_RATE_LIMIT` a minute per email, case-folded (default 5), so one person cannot be
  flooded with applications and their emails; and `KX_APPLY_RATE_PER_ADDRESS` a minute per client
  address (default 300), an allowance for a health board's building, whose staff reach us from a
  few shared addresses, at the opening of a first-come-first-served programme (docs/deploy.md).
  `KX_APPLY_RATE_LIMIT=0` turns both off. Only applications that were taken count.
- Failed sign-ins: `KX_SIGN_IN_FAILURE_LIMIT` in fifteen minutes (default 30). Each account also
  locks after five failures in a row (operations/staff.py); this limit stops one address trying a
  few passwords against many accounts, which the per-account lockout alone would not notice.
  Only failures count, so a busy office behind one address signing in correctly is never refused.

0 turns a limit off. The failed sign-ins are counted in memory per web process: with several
gunicorn workers each allows the limit, so the effective limit is the limit times the workers.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import current_app, request
from flask_babel import gettext as _

from shared import ratelimit
from shared.errors import ApiError
from shared.web import db, runtime


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


APPLICATIONS_PER_EMAIL = Limit("KX_APPLY_RATE_LIMIT", 5, 60.0)
APPLICATIONS_PER_ADDRESS = Limit("KX_APPLY_RATE_PER_ADDRESS", 300, 60.0)
SIGN_IN_FAILURES = Limit("KX_SIGN_IN_FAILURE_LIMIT", 30, 15 * 60.0)


def client_address() -> str:
    return request.remote_addr or "unknown"


def check_apply_rate() -> None:
    """429 when this client address has sent too many applications in the last minute."""
    if APPLICATIONS_PER_EMAIL.configured() == 0:
        return
    ratelimit.enforce(db(), ("apply-address", client_address()), APPLICATIONS_PER_ADDRESS.configured(),
                      int(APPLICATIONS_PER_ADDRESS.window),
                      _("Too many applications from this network address. Wait a minute and try again."))


def check_apply_rate_for(email: str) -> None:
    """429 when applications for this email (case-folded) came too often in the last minute."""
    limit = APPLICATIONS_PER_EMAIL.configured()
    ratelimit.enforce(db(), ("apply-email", email.strip().casefold()), limit, int(APPLICATIONS_PER_EMAIL.window),
                      _("Too many applications for this email address. Wait a minute and try again."))


def check_sign_in_rate() -> None:
    """429, before any password is checked, when this address has failed to sign in too often."""
    if SIGN_IN_FAILURES.counter().full(client_address()):
        raise ApiError(429, _("Too many failed sign-ins from this address. Wait 15 minutes and try again."),
                       code="rate_limited", retry_after=900)


def count_sign_in_failure() -> None:
    SIGN_IN_FAILURES.counter().allow(client_address())
