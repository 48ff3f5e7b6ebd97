"""The tables every service has besides its own: the outbox and the inbox."""

from __future__ import annotations

from .db import declarative_base
from .inbox import InboxMixin
from .outbox import OutboxMixin


def service_base():
    """A service's declarative base with its `Outbox` and `Inbox` models, in a fresh metadata."""
    base = declarative_base()
    outbox = type("Outbox", (OutboxMixin, base), {"__doc__": OutboxMixin.__doc__})
    inbox = type("Inbox", (InboxMixin, base), {"__doc__": InboxMixin.__doc__})
    return base, outbox, inbox
