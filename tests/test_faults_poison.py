"""A poison message in every handler queue of every service, on RabbitMQ with the real workers:
each is dead-lettered (a malformed one at once, a failing one after its retries), the good
messages behind it still flow, `kx dead-letters list` shows them without their data, and
`kx dead-letters replay` puts one back once its cause is fixed."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest

from services.notifications.tests.conftest import exchange_brief, exchange_data
from shared.bus import dumps
from shared.config import SERVICES
from shared.dead_letters import handler_queues
from shared.events import make_envelope
from shared.inbox import already_handled
from shared.registry import load_service
from shared.testing import wait_until
from tests.support.faults import Cluster, record

pytestmark = pytest.mark.integration

STARTS = datetime.now(UTC).replace(microsecond=0) + timedelta(days=60)


def _booking(exchange_id: int, email: str, brief: bool = True) -> dict:
    data = {"booking_id": exchange_id, "exchange_id": exchange_id, "application_id": exchange_id,
            "waitlist_position": None, "manage_token": f"tok-{exchange_id}",
            "applicant": {"name": "Alex Example", "email": email, "language": "en", "participant_type": "experience"}}
    if brief:
        data["exchange"] = exchange_brief(STARTS)
    return data


def good_events() -> list[dict]:
    """One valid event of each kind the services consume (between them, every handler queue)."""
    return [make_envelope(source, event_type, data) for source, event_type, data in [
        ("registration", "registration.exchange.published", exchange_data(7, STARTS)),
        ("registration", "registration.booking.confirmed", _booking(7, "good.applicant@example.org")),
        ("registration", "registration.attendance.recorded",
         {"exchange_id": 7, "application_id": 7, "email": "good.applicant@example.org", "stage": "exchange",
          "attended": True}),
        ("expenses", "expenses.claim.submitted",
         {"claim_id": 1, "exchange_id": 7, "claimant_email": "good.applicant@example.org", "language": "en",
          "total_pence": 1250, "reason": None}),
        ("learning", "learning.summary.submitted",
         {"exchange_id": 7, "theme": "T1", "version": 1, "recipients": ["lead@example.org"]}),
        ("learning", "learning.pack.generated",
         {"theme": "T1", "pages": 3, "sha256": "0" * 64, "recipients": ["lead@example.org"]}),
        ("registration", "system.ping", {"service": "registration", "nonce": "good"}),
    ]]


def malformed(queue: str) -> str:
    """An envelope whose data fails its schema: retrying cannot mend it."""
    return json.dumps({"specversion": "1.0", "id": f"poison-{queue}", "source": "/test", "type": "system.ping",
                       "time": datetime.now(UTC).isoformat(), "data": {"nonce": 1}})


def test_a_poison_message_in_every_queue_is_dead_lettered_the_rest_flows_and_it_can_be_listed_and_replayed(cluster):
    started = time.monotonic()
    for service in SERVICES:
        cluster.start_worker(service)
    bus = cluster.runtime("registration").bus
    queues = {service: handler_queues(bus, service) for service in SERVICES}
    every_queue = [q for names in queues.values() for q in names]

    # A booking for an exchange notifications has never heard of, without the brief: its handler
    # fails (MissingField) on every retry. Then a malformed message straight into every queue.
    orphan = make_envelope("registration", "registration.booking.confirmed",
                           _booking(4242, "orphan.applicant@example.org", brief=False))
    with bus.connection() as connection:
        producer = connection.Producer()
        bus.publish(producer, dumps(orphan), orphan["type"], orphan["id"])
        for queue in every_queue:
            producer.publish(malformed(queue), exchange="", routing_key=queue, delivery_mode=2,
                             content_type="application/json")
    good = good_events()
    for envelope in good:  # each as the service that owns it: consumers refuse any other publisher
        owner = cluster.runtime(envelope["source"].lstrip("/")).bus
        with owner.connection() as connection:
            owner.publish(connection.Producer(), dumps(envelope), envelope["type"], envelope["id"])

    bookings = f"{bus.namespace}.notifications.bookings"
    def not_dead_yet():
        return {q: cluster.queue_state(f"{q}.dead")[0] for q in every_queue
                if cluster.queue_state(f"{q}.dead")[0] < (2 if q == bookings else 1)}

    deadline = time.monotonic() + 30
    while not_dead_yet() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not_dead_yet() == {}, _queues_as_the_broker_sees_them(bus.namespace)
    flowed, expected = _handled(cluster, good)
    deadline = time.monotonic() + 60
    while _unhandled(cluster, good) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _unhandled(cluster, good) == [], _queues_as_the_broker_sees_them(bus.namespace)
    dead_after_poison = {q: cluster.queue_state(f"{q}.dead")[0] for q in every_queue}

    listed = cluster.processes.run("dead-letters", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    shown = {q["queue"]: q for q in json.loads(listed.stdout)}
    assert {q: shown[q]["count"] for q in every_queue} == dead_after_poison
    orphan_letter = next(m for m in shown[bookings]["messages"] if m["event_id"] == orphan["id"])
    assert orphan_letter["reason"].startswith("MissingField") and orphan_letter["attempts"] == cluster.settings.bus_retries + 1
    assert all(m["reason"].startswith("InvalidEvent") for q in every_queue for m in shown[q]["messages"]
               if m["event_id"].startswith("poison-"))
    assert "orphan.applicant" not in listed.stdout and "Alex Example" not in listed.stdout
    human = cluster.processes.run("dead-letters", "list", "notifications")
    assert f"{bookings}.dead: 2" in human.stdout and orphan["id"] in human.stdout

    # Fix the cause (the exchange becomes known), then replay that one letter: the email goes out.
    with bus.connection() as connection:
        fix = make_envelope("registration", "registration.exchange.published", exchange_data(4242, STARTS))
        bus.publish(connection.Producer(), dumps(fix), fix["type"], fix["id"])
    wait_until(lambda: _was_handled(cluster, "notifications", "exchanges", fix["id"]), timeout=30, interval=0.1)
    replayed = cluster.processes.run("dead-letters", "replay", "notifications", "--queue", "bookings",
                                     "--id", orphan["id"])
    assert replayed.returncode == 0, replayed.stderr
    wait_until(lambda: "orphan.applicant@example.org" in cluster.mail_counts()[0], timeout=60, interval=0.2,
               message="the replayed booking's confirmation email")

    # Replaying what is still malformed only sends it back to its dead-letter queue, once.
    replay_all = cluster.processes.run("dead-letters", "replay", "learning", "--all")
    assert replay_all.returncode == 0, replay_all.stderr
    learning = queues["learning"]
    time.sleep(1.0)
    wait_until(lambda: all(cluster.queue_state(f"{q}.dead")[0] == 1 and cluster.queue_state(q)[0] == 0
                           for q in learning), timeout=30, interval=0.2, message="the malformed letters back")

    figures = record("poison", {
        "queues_poisoned": len(every_queue),
        "services": len(SERVICES),
        "dead_lettered": sum(dead_after_poison.values()),
        "dead_lettered_after_retries": 1,
        "retries_before_dead_letter": cluster.settings.bus_retries,
        "good_deliveries_expected": expected,
        "good_deliveries_handled": _handled(cluster, good)[0],
        "personal_data_in_listing": 0,
        "replayed_after_fix": 1,
        "emails_from_replay": cluster.mail_counts()[0]["orphan.applicant@example.org"],
        "replayed_still_malformed": len(learning),
        "dead_letters_left": sum(cluster.queue_state(f"{q}.dead")[0] for q in every_queue),
        "seconds_total": round(time.monotonic() - started, 1),
    })
    assert figures["emails_from_replay"] == 1
    assert figures["dead_letters_left"] == len(every_queue), "all but the replayed-and-fixed one are still there"


def _queues_as_the_broker_sees_them(namespace: str) -> str:
    listing = subprocess.run(["rabbitmqctl", "-q", "list_queues", "name", "messages", "messages_unacknowledged",
                              "consumers"], capture_output=True, text=True, timeout=60).stdout
    return "name, ready+unacked, unacked, consumers:\n" + "\n".join(
        line for line in listing.splitlines() if namespace in line)


def _was_handled(cluster: Cluster, service: str, handler: str, event_id: str) -> bool:
    with cluster.runtime(service).session() as session:
        return already_handled(session, f"{service}.{handler}", event_id)


def _unhandled(cluster: Cluster, events: list[dict]) -> list[tuple[str, str, str]]:
    """(service, handler, event type) of each delivery of the good events not handled yet."""
    out = []
    for service in SERVICES:
        for handler in (*load_service(service).handlers, None):
            name, types = (handler.name, handler.events) if handler else ("ping", ("system.ping",))
            for envelope in events:
                if envelope["type"] in types and not _was_handled(cluster, service, name, envelope["id"]):
                    out.append((service, name, envelope["type"]))
    return out


def _handled(cluster: Cluster, events: list[dict]) -> tuple[int, int]:
    """(handled, expected): deliveries of the good events to every handler that consumes their type."""
    handled = expected = 0
    for service in SERVICES:
        for handler in (*load_service(service).handlers, None):
            name, types = (handler.name, handler.events) if handler else ("ping", ("system.ping",))
            for envelope in events:
                if envelope["type"] in types:
                    expected += 1
                    handled += _was_handled(cluster, service, name, envelope["id"])
    return handled, expected
