"""The bus under faults, on the real RabbitMQ and PostgreSQL: crashed consumers, a stopped broker."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from shared.consumer import Consumer
from shared.outbox import Relay
from shared.testing import wait_until
from tests.support.probe import probe_factory
from tests.support.probe_consumer import CRASH_EXIT_CODE

pytestmark = pytest.mark.integration


@pytest.fixture
def make_probe(request, tmp_path):
    yield from probe_factory(request, tmp_path, "rabbitmq")


def _env(settings) -> dict[str, str]:
    env = dict(os.environ)
    env.update({k: v for k, v in settings.extra.items()})
    return env


def _start_consumer(probe, mode, marker):
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.probe_consumer", mode, str(marker), str(probe.runtime.engine.url.render_as_string(hide_password=False))],
        env=_env(probe.settings),
    )


def _publish_one(probe) -> None:
    probe.emit("crash me")
    relay = Relay(probe.service, probe.runtime.sessionmaker, probe.runtime.bus)
    with probe.runtime.bus.connection() as connection:
        probe.runtime.bus.declare(connection, Consumer(probe.runtime, probe.service.handlers).queues())
        assert relay.publish_pending(connection.Producer()) == 1


def _inbox_rows(probe) -> int:
    with probe.runtime.session() as session:
        return session.scalar(select(func.count()).select_from(probe.service.inbox))


@pytest.mark.parametrize("crash_at", ["in_handler", "after_commit"])
def test_a_consumer_acks_only_after_its_commit_so_a_crash_loses_nothing_and_doubles_nothing(
    make_probe, tmp_path, crash_at
):
    probe = make_probe()
    _publish_one(probe)
    marker = tmp_path / "crashed"

    first = _start_consumer(probe, crash_at, marker)
    assert first.wait(timeout=30) == CRASH_EXIT_CODE, "the first consumer died mid-message"
    assert probe.effects() == (1 if crash_at == "after_commit" else 0)

    second = _start_consumer(probe, crash_at, marker)
    try:
        wait_until(lambda: probe.queue_depth(probe.queue_name) == 0 and probe.effects() == 1,
                   message="the redelivered event to be handled")
        time.sleep(0.3)
        assert probe.effects() == 1
        assert _inbox_rows(probe) == 1
        assert probe.queue_depth(f"{probe.queue_name}.dead") == 0
    finally:
        second.terminate()
        second.wait(timeout=10)


def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


def test_no_event_is_lost_while_rabbitmq_stops_and_starts(make_probe):
    probe = make_probe()
    probe.start()
    total = 300
    emitted = []

    def emit_steadily():
        for n in range(total):
            emitted.append(probe.emit(str(n)))
            time.sleep(0.01)

    emitter = threading.Thread(target=emit_steadily)
    emitter.start()
    wait_until(lambda: len(emitted) > total // 3)
    _rabbitmqctl("stop_app")
    try:
        time.sleep(2)
        assert probe.unsent() > 0, "events kept being committed while the broker was away"
    finally:
        _rabbitmqctl("start_app")
        _rabbitmqctl("await_startup")
    emitter.join()
    wait_until(lambda: probe.unsent() == 0, timeout=60, message="every outbox row to be published")
    wait_until(lambda: probe.effects() == total, timeout=60, message="every event to be handled")
    with probe.runtime.session() as session:
        handled = set(session.scalars(select(probe.Effect.event_id)))
    assert handled == set(emitted)
