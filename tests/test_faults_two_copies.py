"""Two copies of every worker (relay, consumers, periodic jobs) on the same queues and databases,
under a stream of applications and cancellations: no effect happens twice."""

from __future__ import annotations

import time

import pytest

from services.notifications.models import Message
from shared.config import SERVICES
from shared.registry import load_service
from shared.testing import wait_until
from tests.support.faults import CONFIRMED_SUBJECT, Cluster, record, summarise
from tests.support.processes import http

pytestmark = pytest.mark.integration

APPLICATIONS = 200
CAPACITY = 150
CANCELLATIONS = 20


def test_two_copies_of_every_worker_have_no_double_effects(cluster):
    started = time.monotonic()
    cluster.start_web()
    for service in SERVICES:
        cluster.start_worker(service)
        cluster.start_worker(service)
    exchange = cluster.add_exchange(capacity=CAPACITY)
    answers = cluster.apply_many(APPLICATIONS, [exchange], clients=4)
    for answer in answers[:CANCELLATIONS]:  # each frees a place: the first on the waiting list is promoted
        status, body = http("POST", f"{cluster.base}/api/applications/{answer.body['manage_token']}"
                                    f"/bookings/{exchange}/cancel", body=b"{}")
        assert status == 200, body
    queues = [f"{cluster.settings.bus_namespace}.{s}.{h.name}" for s in SERVICES for h in load_service(s).handlers]
    consumers = wait_until(lambda: (lambda c: c if set(c.values()) == {2} else None)(
        {q: cluster.queue_state(q)[1] for q in queues}), timeout=30, interval=0.5, message="two consumers per queue")

    confirmed = cluster.confirmed_emails()
    booking_events = _booking_events(cluster)
    wait_until(lambda: cluster.count("notifications", Message, Message.status == "sent") >= booking_events,
               timeout=120, interval=0.2, message="a message sent for every booking event")
    wait_until(lambda: cluster.unsent(*SERVICES) == 0, timeout=60, interval=0.2)
    time.sleep(1.5)  # time for any second effect to show: there must be none
    received = list(cluster.mail.received)
    per_message_id = {}
    for mail in received:
        per_message_id[mail.email["Message-ID"]] = per_message_id.get(mail.email["Message-ID"], 0) + 1
    per_recipient, _ = cluster.mail_counts(CONFIRMED_SUBJECT)
    from services.learning.models import Booking as LearningBooking
    from services.notifications.models import Booking as NotificationsBooking

    figures = record("two_copies", {
        **summarise(answers),
        "workers_per_service": 2,
        "consumers_per_queue": sorted(set(consumers.values())),
        "cancellations": CANCELLATIONS,
        "booking_events": booking_events,
        "confirmed_bookings": len(confirmed),
        "messages_recorded": cluster.count("notifications", Message),
        "emails_received": len(received),
        "emails_twice": sum(n - 1 for n in per_message_id.values()),
        "confirmed_bookings_without_their_email": len(set(confirmed) - set(per_recipient) - _promoted(cluster)),
        "learning_bookings_projected": cluster.count("learning", LearningBooking),
        "notifications_bookings_projected": cluster.count("notifications", NotificationsBooking),
        "outbox_unsent_at_end": cluster.unsent(*SERVICES),
        "seconds_total": round(time.monotonic() - started, 1),
    })
    assert figures["consumers_per_queue"] == [2], "both copies consume every queue"
    assert figures["messages_recorded"] == booking_events, "one message per booking event, never two"
    assert figures["emails_received"] == booking_events and figures["emails_twice"] == 0
    assert figures["confirmed_bookings_without_their_email"] == 0
    assert figures["learning_bookings_projected"] == figures["notifications_bookings_projected"] == APPLICATIONS
    assert figures["outbox_unsent_at_end"] == 0


def _promoted(cluster: Cluster) -> set[str]:
    """Who was told they were promoted from the waiting list (their place is confirmed too)."""
    from sqlalchemy import select

    with cluster.runtime("notifications").session() as session:
        return set(session.scalars(select(Message.recipient).where(Message.template == "promoted",
                                                                    Message.status == "sent")))


def _booking_events(cluster: Cluster) -> int:
    from services.registration.models import Outbox

    return cluster.count("registration", Outbox, Outbox.type.like("registration.booking.%"))


