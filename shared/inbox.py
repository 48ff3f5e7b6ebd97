"""The inbox: which events each consumer has handled, written in the handler's transaction.

Delivery is at least once; the inbox makes the effect happen once. The primary key is the
guard: two workers racing on one event cannot both commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import utcnow


class InboxMixin:
    """One row per (consumer, event) handled."""

    __tablename__ = "inbox"

    #: `<service>.<handler>`
    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    #: the CloudEvents id
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


def first_time(session: Session, consumer: str, event_id: str) -> bool:
    """Claim the event for this consumer in the current transaction; False if already handled."""
    inbox = session.info["kx_service"].inbox
    if session.get(inbox, (consumer, event_id)) is not None:
        return False
    session.add(inbox(consumer=consumer, event_id=event_id))
    session.flush()
    return True


def already_handled(session: Session, consumer: str, event_id: str) -> bool:
    inbox = session.info["kx_service"].inbox
    return session.get(inbox, (consumer, event_id)) is not None
