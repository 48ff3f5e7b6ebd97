"""A notifications worker killed (SIGKILL) in the middle of a batch and started again: no email is
lost, and none is sent as a second message.

The one window the design leaves (services/notifications/operations/sending.py) is a kill after the SMTP
server accepted a message and before it was marked sent: that message goes out again with the
same Message-ID, which receiving servers de-duplicate on. The test counts such re-sends apart,
allows at most what the sender had in hand unmarked, and demands one delivery-log row per message.
"""

from __future__ import annotations

import time

import pytest

from services.notifications.models import Message
from shared.testing import wait_until
from tests.support.faults import (
    CONFIRMED_SUBJECT,
    LEASE,
    RESENT_AT_MOST_PER_CRASH,
    record,
    summarise,
)

pytestmark = pytest.mark.integration

APPLICATIONS = 200


def test_a_notifications_worker_killed_mid_batch_loses_no_email_and_sends_none_as_a_second_message(cluster):
    started = time.monotonic()
    cluster.start_web()
    cluster.start_worker("registration")
    worker = cluster.start_worker("notifications")
    exchange = cluster.add_exchange(capacity=APPLICATIONS)
    answers = cluster.apply_many(APPLICATIONS, [exchange], clients=4)

    wait_until(lambda: len(cluster.mail.received) >= APPLICATIONS // 4, timeout=120, interval=0.005,
               message="a quarter of the confirmations to be sent")
    cluster.kill(worker)
    killed_at = time.monotonic()
    sent_before_kill = len(cluster.mail.received)
    queued_at_kill = cluster.queue_state(f"{cluster.settings.bus_namespace}.notifications.bookings")[0]
    cluster.start_worker("notifications")

    confirmed = cluster.confirmed_emails()
    wait_until(lambda: set(cluster.mail_counts(CONFIRMED_SUBJECT)[0]) >= set(confirmed), timeout=LEASE + 90,
               interval=0.2, message="a confirmation for every confirmed booking")
    recovered_at = time.monotonic()
    wait_until(lambda: cluster.unsent("registration", "notifications") == 0, timeout=60, interval=0.2)
    # Messages the killed worker had in hand, accepted by the SMTP server but not yet marked, stay
    # leased to it until the lease runs out; only then does the new worker send and mark them. Every
    # recipient may already have their email by then, so wait for the delivery log as well.
    wait_until(lambda: cluster.count("notifications", Message, Message.template == "confirmation",
                                     Message.status == "sent") >= len(confirmed),
               timeout=LEASE + 60, interval=0.2, message="every confirmation marked sent")
    time.sleep(1.0)
    per_recipient, per_message_id = cluster.mail_counts(CONFIRMED_SUBJECT)
    logged = cluster.count("notifications", Message, Message.template == "confirmation")
    logged_sent = cluster.count("notifications", Message, Message.template == "confirmation",
                                Message.status == "sent")

    figures = record("worker_kill", {
        **summarise(answers),
        "confirmed_bookings": len(confirmed),
        "emails_sent_before_kill": sent_before_kill,
        "events_queued_at_kill": queued_at_kill,
        "confirmation_emails_received": sum(per_recipient.values()),
        "confirmations_missing": len(set(confirmed) - set(per_recipient)),
        "distinct_messages_received": len(per_message_id),
        "second_messages": len(per_message_id) - len(per_recipient),
        "resent_with_same_message_id": sum(n - 1 for n in per_message_id.values()),
        "delivery_log_rows": logged,
        "delivery_log_rows_sent": logged_sent,
        "lease_seconds": LEASE,
        "seconds_to_recover_after_kill": round(recovered_at - killed_at, 1),
        "seconds_total": round(time.monotonic() - started, 1),
    })
    assert figures["applications_accepted"] == APPLICATIONS
    assert figures["confirmations_missing"] == 0
    assert len(per_message_id) == len(confirmed) == len(per_recipient), "one message per booking, none lost"
    assert figures["resent_with_same_message_id"] <= RESENT_AT_MOST_PER_CRASH, "only what was in hand at the kill"
    assert logged == logged_sent == len(confirmed), "one delivery-log row per message, each sent"
