"""The distributed setup as separate processes: `kx migrate`, `kx web`, `kx worker` on
PostgreSQL and RabbitMQ, exactly as docker-compose runs them."""

from __future__ import annotations

import json

import pytest
from kombu import Connection

from shared.config import load
from shared.testing import delete_bus_namespace, distributed_env, free_port, staff_token, wait_until
from tests.support.processes import Processes, http, wait_for_http

pytestmark = pytest.mark.integration


@pytest.fixture
def distributed(rabbitmq, pg_schemas, tmp_path):
    env = distributed_env(rabbitmq, pg_schemas, tmp_path / "var")
    processes = Processes(env, tmp_path)
    yield processes, load(env)
    processes.stop_all()
    delete_bus_namespace(load(env))


def test_a_ping_from_registration_reaches_notifications_through_rabbitmq(distributed):
    processes, settings = distributed
    migrated = processes.run("migrate")
    assert migrated.returncode == 0, migrated.stderr
    registration_port, notifications_port = free_port(), free_port()
    processes.start("web", "registration", "--port", str(registration_port), "--host", "127.0.0.1", "--workers", "1")
    processes.start("web", "notifications", "--port", str(notifications_port), "--host", "127.0.0.1", "--workers", "1")
    processes.start("worker", "registration")
    processes.start("worker", "notifications")
    registration = f"http://127.0.0.1:{registration_port}/registration"
    notifications = f"http://127.0.0.1:{notifications_port}/notifications"
    wait_for_http(f"{registration}/healthz")
    wait_for_http(f"{notifications}/healthz")

    admin = staff_token(settings, {"admin": []})
    status, body = http("POST", f"{registration}/api/diagnostics/ping", token=admin, body=b"{}")
    assert status == 202, body
    event_id = json.loads(body)["event_id"]

    wait_until(lambda: http("GET", f"{notifications}/api/diagnostics/pings/{event_id}", token=admin)[0] == 200,
               timeout=30, interval=0.1, message="notifications to receive the ping")


def test_an_event_published_before_its_consumer_ever_started_waits_for_it(distributed):
    """A first deployment: registration's relay runs before notifications' worker has ever started.
    `kx migrate` declared notifications' queues, so the event waits there instead of being dropped."""
    processes, settings = distributed
    migrated = processes.run("migrate")
    assert migrated.returncode == 0, migrated.stderr
    registration_port, notifications_port = free_port(), free_port()
    processes.start("web", "registration", "--port", str(registration_port), "--host", "127.0.0.1", "--workers", "1")
    processes.start("worker", "registration")
    registration = f"http://127.0.0.1:{registration_port}/registration"
    wait_for_http(f"{registration}/healthz")
    admin = staff_token(settings, {"admin": []})
    status, body = http("POST", f"{registration}/api/diagnostics/ping", token=admin, body=b"{}")
    assert status == 202, body
    event_id = json.loads(body)["event_id"]

    def waiting() -> int:
        with Connection(settings.broker_url, connect_timeout=2) as connection:
            queue = f"{settings.bus_namespace}.notifications.ping"
            return connection.default_channel.queue_declare(queue=queue, passive=True).message_count

    wait_until(lambda: waiting() == 1, timeout=30, interval=0.1, message="the ping to wait in notifications' queue")
    processes.start("web", "notifications", "--port", str(notifications_port), "--host", "127.0.0.1", "--workers", "1")
    processes.start("worker", "notifications")
    notifications = f"http://127.0.0.1:{notifications_port}/notifications"
    wait_for_http(f"{notifications}/healthz")
    wait_until(lambda: http("GET", f"{notifications}/api/diagnostics/pings/{event_id}", token=admin)[0] == 200,
               timeout=30, interval=0.1, message="notifications to receive the ping")


def test_a_distributed_command_without_its_secret_stops_with_one_clear_line(distributed):
    processes, _settings = distributed
    processes.env.pop("KX_SECRET_KEY")
    result = processes.run("worker", "learning", timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kx: configuration error: KX_SECRET_KEY: is required: the services share it to verify each other's tokens"
    ]
