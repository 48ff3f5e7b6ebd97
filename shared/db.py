"""One database per service: engines, sessions and the declarative base they share in shape.

The commit point is the request or the bus message: operations add rows and outbox events to the
session and `flush()`; the view or handler commits once.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from sqlalchemy import MetaData, create_engine, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import DateTime, TypeDecorator

#: One naming convention for every constraint, so that migrations get stable names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: the largest id the id columns hold (PostgreSQL `integer`): a larger number names no row, and
#: sent to the database it overflows the driver instead
MAX_ID = 2**31 - 1


def database_id(text: str | None) -> int | None:
    """An id typed as text (a query parameter, a form's hidden field), or None if it is not one."""
    text = (text or "").strip()
    return int(text) if text.isdecimal() and len(text) <= len(str(MAX_ID)) and 1 <= int(text) <= MAX_ID else None


def declarative_base() -> type[DeclarativeBase]:
    """A fresh base with its own metadata: each service's tables live in its own database."""

    class Base(DeclarativeBase):
        metadata = MetaData(naming_convention=NAMING_CONVENTION)

    return Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A moment, stored in UTC and read back aware, on PostgreSQL and SQLite alike.

    SQLite keeps no offset (it would store 09:30+01:00 as 09:30), so every value is converted to
    UTC on the way in and marked UTC on the way out; comparisons in SQL then hold on both.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give an offset")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: a pooled connection idle at least this long (seconds) is pinged before it is handed out
PING_AFTER_IDLE = 5.0


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    engine = create_engine(
        url,
        hide_parameters=True,  # errors must not quote personal data into logs
        pool_size=10,
        max_overflow=20,
    )
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """`pool_pre_ping`, but only for a connection that sat idle in the pool.

    A dropped connection (the database restarted while the service idled) is replaced, not handed
    to a request; but a busy process, whose connections go straight back out, does not pay a
    round trip per request for it. A connection cut while in use fails its request cleanly, and
    SQLAlchemy then discards every pooled connection opened before the failure."""

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection, record):
        record.info["kx_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        idle_since = record.info.get("kx_idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError("the pooled connection was dropped") from error  # the pool takes another


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url, hide_parameters=True, connect_args={"timeout": 30, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the pysqlite driver would not).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn):
        # One writer at a time, taken at BEGIN: a transaction never fails half-way on upgrading
        # its lock, which is what keeps first come, first served exact on SQLite.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_sqlite(session_or_engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, Session) else session_or_engine
    return bind.dialect.name == "sqlite"
