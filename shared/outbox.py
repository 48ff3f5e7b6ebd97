"""The transactional outbox: events written with the change that caused them, published later.

`emit()` adds a row to the service's `outbox` table in the caller's transaction, so an event
exists if and only if its change committed. The `Relay` publishes unsent rows in order, waits for
the broker's confirm, and only then marks them sent: a crash in between publishes the row again
on restart, and the consumers' inbox absorbs the duplicate.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import (
    BigInteger,
    Index,
    Integer,
    String,
    Text,
    delete,
    event,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column

from .bus import Bus, dumps
from .db import UtcDateTime, utcnow
from .events import make_envelope

log = logging.getLogger(__name__)

#: sent rows are kept this long for inspection, then pruned
KEEP_SENT = timedelta(days=7)


class OutboxMixin:
    """Events waiting to be published (`sent_at` empty) or already published."""

    __tablename__ = "outbox"

    #: emission order; the relay publishes in this order
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    #: the CloudEvents id, which consumers' inboxes key on
    event_id: Mapped[str] = mapped_column(String(64), unique=True)
    #: routing key
    type: Mapped[str] = mapped_column(String(120))
    #: the whole envelope as JSON text, exactly as it will be published
    envelope: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: set only after the broker confirmed the publish
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    @declared_attr.directive
    def __table_args__(cls):
        # Only unsent rows are looked up often; a partial index keeps that cheap as the table grows.
        return (
            Index(
                "ix_outbox_unsent",
                "id",
                postgresql_where=text("sent_at IS NULL"),
                sqlite_where=text("sent_at IS NULL"),
            ),
        )


def emit(session: Session, event_type: str, data: dict) -> str:
    """Record an event in the caller's transaction; returns its id. Never commits."""
    service = session.info["kx_service"]
    envelope = make_envelope(service.name, event_type, data)
    session.add(service.outbox(event_id=envelope["id"], type=event_type, envelope=dumps(envelope)))
    session.info["kx_emitted"] = True
    return envelope["id"]


def emit_built(session: Session, envelope: dict) -> str:
    """Record an envelope that `make_envelope()` built, and so validated, earlier; returns its id.

    For a caller holding a hot lock: the row goes in at once by one Core INSERT, with no schema
    validation and no unit-of-work flush between taking the lock and committing. Never commits."""
    outbox = session.info["kx_service"].outbox
    session.execute(insert(outbox.__table__), {"event_id": envelope["id"], "type": envelope["type"],
                                               "envelope": dumps(envelope), "created_at": utcnow()})
    session.info["kx_emitted"] = True
    return envelope["id"]


def wake_relay_after_commit(sessionmaker, signal: threading.Event) -> None:
    """In the process that runs the relay, a commit that emitted wakes it at once."""

    @event.listens_for(sessionmaker, "after_commit")
    def _after_commit(session):
        if session.info.pop("kx_emitted", False):
            signal.set()

    @event.listens_for(sessionmaker, "after_rollback")
    def _after_rollback(session):
        session.info.pop("kx_emitted", None)


class Relay:
    """Publishes a service's outbox rows to the bus."""

    def __init__(self, service, sessionmaker, bus: Bus, *, batch: int = 200, interval: float = 0.05):
        self.service = service
        self.sessionmaker = sessionmaker
        self.bus = bus
        self.batch = batch
        self.interval = interval
        self.signal = threading.Event()
        self._pruned_at = datetime.min

    def publish_pending(self, producer, after_publish=None) -> int:
        """Publish one batch of unsent rows; returns how many were published and marked.

        `after_publish` runs between the confirms and the marking; tests use it to kill the relay
        at the worst moment.
        """
        outbox = self.service.outbox
        with self.sessionmaker() as session, session.begin():
            rows = session.execute(
                select(outbox.id, outbox.event_id, outbox.type, outbox.envelope)
                .where(outbox.sent_at.is_(None))
                .order_by(outbox.id)
                .limit(self.batch)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                self.bus.publish(producer, row.envelope, row.type, row.event_id)
            if after_publish is not None:
                after_publish(rows)
            if rows:
                session.execute(
                    update(outbox).where(outbox.id.in_([r.id for r in rows])).values(sent_at=utcnow())
                )
            return len(rows)

    def prune(self) -> None:
        outbox = self.service.outbox
        with self.sessionmaker() as session, session.begin():
            session.execute(delete(outbox).where(outbox.sent_at < utcnow() - KEEP_SENT))

    def run(self, stop: threading.Event) -> None:
        """Publish until `stop` is set, reconnecting with back-off while the broker is away."""
        backoff = 0.1
        while not stop.is_set():
            try:
                with self.bus.connection() as connection:
                    connection.ensure_connection(max_retries=1)
                    producer = connection.Producer()
                    self.bus.declare(connection, [])
                    backoff = 0.1
                    while not stop.is_set():
                        # Clear before looking: a commit that lands while we look sets the
                        # signal again, so the wait below returns at once instead of missing it.
                        self.signal.clear()
                        published = self.publish_pending(producer)
                        if published:
                            log.debug("relay %s published %d event(s)", self.service.name, published)
                            continue
                        self._prune_now_and_then()
                        self.signal.wait(self.interval)
            except Exception as error:  # noqa: BLE001 - broker or database away: retry, never die
                log.warning("relay %s: %s; retrying in %.1fs", self.service.name, type(error).__name__, backoff)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _prune_now_and_then(self) -> None:
        now = datetime.now()
        if now - self._pruned_at > timedelta(minutes=10):
            self._pruned_at = now
            self.prune()
