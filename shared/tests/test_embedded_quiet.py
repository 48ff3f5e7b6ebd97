"""`Embedded.quiet`: the bus is idle only once every event has been handled, or dead-lettered, by
every handler subscribed to it; a message a consumer holds uncommitted keeps it busy."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from shared.config import load
from shared.dead_letters import list_dead
from shared.diagnostics import PING
from shared.embedded import Embedded
from shared.outbox import emit
from shared.service import Handler
from shared.testing import embedded_env, migrate_all, wait_until


@pytest.fixture
def embedded(tmp_path):
    settings = load(embedded_env(tmp_path / "var"))
    migrate_all(settings)
    embedded = Embedded(settings)
    yield embedded
    embedded.shutdown(grace=0)


def _consumer(embedded: Embedded, service: str):
    return next(w.consumer for w in embedded.workers if w.runtime.service.name == service)


def _ping(embedded: Embedded) -> str:
    runtime = embedded.runtimes["registration"]
    with runtime.session() as session, session.begin():
        return emit(session, "system.ping", {"service": "registration", "nonce": "0"})


def _all_sent(embedded: Embedded) -> bool:
    for runtime in embedded.runtimes.values():
        outbox = runtime.service.outbox
        with runtime.session() as session:
            if session.scalar(select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None))):
                return False
    return True


def test_a_message_taken_but_not_yet_committed_keeps_the_bus_busy(embedded):
    taken, release = threading.Event(), threading.Event()
    consumer = _consumer(embedded, "notifications")
    handle = consumer.handle

    def held(*args):
        # Before the handler's transaction: holding SQLite's write lock would block quiet()'s reads.
        taken.set()
        release.wait(10)
        return handle(*args)

    consumer.handle = held
    embedded.start_workers()
    wait_until(embedded.quiet, message="what start-up emits to settle")
    _ping(embedded)
    assert taken.wait(10)
    wait_until(lambda: _all_sent(embedded), message="the ping to be published")

    assert not embedded.quiet(), "notifications holds the ping uncommitted"
    release.set()
    wait_until(embedded.quiet, message="the bus to be quiet")


def test_a_dead_lettered_event_counts_as_done(embedded):
    def failing(session, envelope, data):
        raise RuntimeError("always")

    consumer = _consumer(embedded, "learning")
    consumer.handlers = tuple(Handler(PING.name, PING.events, failing) if h is PING else h for h in consumer.handlers)
    embedded.start_workers()
    event_id = _ping(embedded)

    wait_until(embedded.quiet, message="the bus to be quiet")
    dead = {q.queue: q for q in list_dead(embedded.workers[0].runtime.bus, ["learning"])}
    assert [letter.event_id for letter in dead[f"{embedded.settings.bus_namespace}.learning.ping"].letters] == [event_id]
