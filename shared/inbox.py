"""The inbox: which events each consumer has handled, written in the handler's transaction.

Delivery is at least once; the inbox makes the effect happen once. The primary key is the
guard: two workers racing on one event cannot both commit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UtcDateTime, utcnow

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class InboxMixin:
    """One row per (consumer, event) handled."""

    __tablename__ = "inbox"

    #: `<service>.<handler>`
    consumer: Mapped[str] = mapped_column(String(120), primary_key=True)
    #: the CloudEvents id
    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


def first_time(session: Session, consumer: str, event_id: str) -> bool:
    """Claim the event for this consumer in the current transaction; False if already handled.

    One `INSERT ... ON CONFLICT DO NOTHING RETURNING` (PostgreSQL and SQLite alike), written at
    once without flushing the session, so a batch's other rows still go in together. A worker
    racing on the same event waits on the key, then finds it taken.
    """
    table = session.info["kx_service"].inbox.__table__
    claim = _INSERTS[session.get_bind().dialect.name](table).values(
        consumer=consumer, event_id=event_id, handled_at=utcnow()).on_conflict_do_nothing().returning(table.c.event_id)
    with session.no_autoflush:
        return session.execute(claim).first() is not None


def already_handled(session: Session, consumer: str, event_id: str) -> bool:
    inbox = session.info["kx_service"].inbox
    return session.get(inbox, (consumer, event_id)) is not None
