"""RabbitMQ stopped and started in the middle of a stream of applications: every confirmed booking
still ends with exactly one confirmation email, and no outbox row is left unsent."""

from __future__ import annotations

import threading
import time

import pytest

from shared.testing import wait_until
from tests.support.faults import CONFIRMED_SUBJECT, rabbitmqctl, record, summarise

pytestmark = pytest.mark.integration

APPLICATIONS = 500
CAPACITY = 400
BROKER_DOWN_SECONDS = 3


def test_applications_through_a_broker_restart_each_get_one_confirmation_and_the_outbox_drains(cluster):
    started = time.monotonic()
    cluster.start_web()
    cluster.start_worker("registration")
    cluster.start_worker("notifications")
    exchange = cluster.add_exchange(capacity=CAPACITY)

    progress: list = []
    stream = threading.Thread(target=lambda: answers.extend(
        cluster.apply_many(APPLICATIONS, [exchange], clients=4, pace=0.01, progress=progress)))
    answers: list = []
    stream.start()
    wait_until(lambda: len(progress) >= APPLICATIONS // 3, timeout=120, message="a third of the applications")
    rabbitmqctl("stop_app")
    stopped_at = time.monotonic()
    accepted_while_down = len(progress)
    try:
        time.sleep(BROKER_DOWN_SECONDS)
        unsent_while_down = cluster.unsent("registration")
    finally:
        rabbitmqctl("start_app")
        rabbitmqctl("await_startup")
    back_at = time.monotonic()
    accepted_while_down = len(progress) - accepted_while_down
    stream.join()

    confirmed = cluster.confirmed_emails()
    wait_until(lambda: sum(cluster.mail_counts(CONFIRMED_SUBJECT)[0].values()) >= len(confirmed), timeout=120,
               interval=0.2, message="a confirmation for every confirmed booking")
    wait_until(lambda: cluster.unsent("registration", "notifications") == 0, timeout=60, interval=0.2,
               message="every outbox row to be published")
    recovered_at = time.monotonic()
    time.sleep(1.0)  # time for any duplicate to arrive: there must be none
    per_recipient, per_message_id = cluster.mail_counts(CONFIRMED_SUBJECT)

    figures = record("broker_restart", {
        **summarise(answers),
        "broker_down_seconds": round(back_at - stopped_at, 1),
        "applications_accepted_during_outage": accepted_while_down,
        "outbox_unsent_while_broker_down": unsent_while_down,
        "confirmed_bookings": len(confirmed),
        "confirmation_emails_received": sum(per_recipient.values()),
        "confirmations_missing": len(set(confirmed) - set(per_recipient)),
        "duplicate_emails": sum(n - 1 for n in per_recipient.values()),
        "outbox_unsent_at_end": cluster.unsent("registration", "notifications"),
        "seconds_to_recover_after_broker_back": round(recovered_at - back_at, 1),
        "seconds_total": round(time.monotonic() - started, 1),
    })
    assert figures["applications_accepted"] == APPLICATIONS, figures
    assert figures["confirmed_bookings"] == CAPACITY
    assert unsent_while_down > 0, "applications kept being accepted into the outbox while the broker was away"
    assert figures["confirmations_missing"] == 0
    assert figures["duplicate_emails"] == 0 and max(per_message_id.values()) == 1
    assert sorted(per_recipient) == sorted(confirmed)
    assert figures["outbox_unsent_at_end"] == 0
