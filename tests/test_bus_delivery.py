"""The bus's promises, on the embedded setup and on the real RabbitMQ and PostgreSQL.

Each test runs twice: `embedded` (SQLite file, in-process transport) and `rabbitmq` (PostgreSQL
schema, RabbitMQ at 127.0.0.1, marked `integration`).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from shared.bus import dumps
from shared.consumer import Consumer
from shared.events import make_envelope
from shared.outbox import Relay
from shared.testing import wait_until
from tests.support.probe import probe_factory


@pytest.fixture(params=["embedded", pytest.param("rabbitmq", marks=pytest.mark.integration)])
def make_probe(request, tmp_path):
    yield from probe_factory(request, tmp_path, request.param)


def test_event_of_a_rolled_back_transaction_is_never_published(make_probe):
    probe = make_probe()
    probe.start()
    probe.emit("rolled back", commit=False)
    committed = probe.emit("committed")
    wait_until(lambda: probe.effects() == 1, message="the committed event")
    with probe.runtime.session() as session:
        assert [e.event_id for e in session.scalars(select(probe.Effect))] == [committed]
    assert probe.unsent() == 0


def test_committed_event_is_published_once_and_marked_sent(make_probe):
    probe = make_probe()
    probe.start()
    for n in range(20):
        probe.emit(str(n))
    wait_until(lambda: probe.effects() == 20 and probe.unsent() == 0)
    assert probe.queue_depth(probe.queue_name) == 0


def test_relay_dying_after_publish_before_marking_republishes_and_the_inbox_absorbs_it(make_probe):
    probe = make_probe()
    probe.emit("once")
    relay = Relay(probe.service, probe.runtime.sessionmaker, probe.runtime.bus)

    def die(_rows):
        raise RuntimeError("relay killed between the broker's confirm and marking the row")

    with probe.runtime.bus.connection() as connection:
        probe.runtime.bus.declare(connection, Consumer(probe.runtime, probe.service.handlers).queues())
        producer = connection.Producer()
        with pytest.raises(RuntimeError):
            relay.publish_pending(producer, after_publish=die)
        assert probe.unsent() == 1, "the row stays unsent when the relay dies before marking it"
        assert relay.publish_pending(producer) == 1
    assert probe.queue_depth(probe.queue_name) == 2, "published twice: at least once"
    probe.start()
    wait_until(lambda: probe.queue_depth(probe.queue_name) == 0)
    wait_until(lambda: probe.effects() == 1)
    assert probe.effects() == 1, "the duplicate had no second effect"
    assert probe.unsent() == 0


def test_a_redelivered_event_has_its_effect_once(make_probe):
    probe = make_probe()
    probe.start()
    body = dumps(make_envelope("probe", "system.ping", {"service": "probe", "nonce": "again"}))
    for _ in range(3):
        probe.publish_raw(body, "system.ping")
    wait_until(lambda: probe.queue_depth(probe.queue_name) == 0 and probe.effects() == 1)
    probe.emit("next")
    wait_until(lambda: probe.effects() == 2)


def test_a_handler_that_keeps_failing_is_dead_lettered_and_the_next_message_flows(make_probe):
    attempts = []

    def fail_on_poison(session, envelope, data):
        if data["nonce"] == "poison":
            attempts.append(envelope["id"])
            raise RuntimeError("this handler cannot cope with that event")

    probe = make_probe(on_event=fail_on_poison)
    probe.start()
    probe.emit("poison")
    probe.emit("healthy")
    wait_until(lambda: probe.effects() == 1, message="the message after the poison one")
    dead = f"{probe.queue_name}.dead"
    wait_until(lambda: probe.queue_depth(dead) == 1, message="the poison message in the dead-letter queue")
    assert len(attempts) == probe.settings.bus_retries + 1, "tried once, then retried the configured times"


def test_an_event_of_unknown_type_is_acked_and_ignored(make_probe):
    probe = make_probe(events=("system.#",))
    probe.start()
    envelope = make_envelope("probe", "system.ping", {"service": "probe", "nonce": "x"})
    envelope["type"] = "system.unheard_of"
    probe.publish_raw(dumps(envelope), "system.unheard_of")
    probe.emit("after the unknown one")
    wait_until(lambda: probe.effects() == 1)
    wait_until(lambda: probe.queue_depth(probe.queue_name) == 0)
    assert probe.queue_depth(f"{probe.queue_name}.dead") == 0


def test_an_event_whose_data_fails_its_schema_is_dead_lettered_at_once(make_probe):
    calls = []
    probe = make_probe(on_event=lambda *args: calls.append(args))
    probe.start()
    envelope = make_envelope("probe", "system.ping", {"service": "probe", "nonce": "x"})
    del envelope["data"]["nonce"]
    probe.publish_raw(json.dumps(envelope), "system.ping")
    probe.publish_raw("this is not JSON", "system.ping")
    probe.emit("valid")
    wait_until(lambda: probe.effects() == 1)
    wait_until(lambda: probe.queue_depth(f"{probe.queue_name}.dead") == 2)
    assert len(calls) == 1, "the handler never saw the invalid events"
