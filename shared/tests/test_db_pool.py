"""The PostgreSQL pool: a connection dropped while idle is replaced before a request gets it, and
a busy connection is handed out without a ping (no extra round trip per request)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, text

from shared import db
from shared.db import make_engine

pytestmark = pytest.mark.integration


def _backend_pid(engine) -> int:
    with engine.connect() as connection:
        return connection.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _pings(engine) -> list:
    pings = []
    ping = engine.dialect.do_ping

    def counting(dbapi_connection):
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    engine.dialect.do_ping = counting
    return pings


def test_a_pooled_connection_cut_while_idle_is_replaced_before_it_is_used(postgres, monkeypatch):
    monkeypatch.setattr(db, "PING_AFTER_IDLE", 0.0)
    engine = make_engine(postgres)
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    try:
        cut = _backend_pid(engine)
        with admin.connect() as connection:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": cut}).scalar_one()
        assert _backend_pid(engine) != cut  # answered, on a new connection, without an error
    finally:
        engine.dispose()
        admin.dispose()


def test_a_connection_back_from_a_request_moments_ago_is_handed_out_without_a_ping(postgres):
    engine = make_engine(postgres)
    pings = _pings(engine)
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    try:
        for _ in range(3):
            _backend_pid(engine)
        assert pings == []
        assert len(statements) == 3
    finally:
        engine.dispose()
