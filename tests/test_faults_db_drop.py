"""PostgreSQL connections cut (`pg_terminate_backend`) again and again under a stream of
applications: each request either succeeds or fails cleanly and is retried with its
Idempotency-Key; no application is half stored or stored twice; the processes recover by
themselves, without a restart.

A cut that hits the notifications send job between its claim and its marking makes the job give
the rest of its batch back (or, if that fails too, leaves it until the lease runs out; the fault
tests use a short one): what the SMTP server had already accepted goes out again with the same
Message-ID, as after a crash, and such re-sends are counted apart.
"""

from __future__ import annotations

import threading
import time

import pytest

from services.notifications.models import Message
from services.registration.models import Application, Booking, Outbox
from shared.testing import wait_until
from tests.support.faults import (
    CONFIRMED_SUBJECT,
    LEASE,
    RESENT_AT_MOST_PER_CRASH,
    record,
    summarise,
)
from tests.support.processes import http

pytestmark = pytest.mark.integration

APPLICATIONS = 300
CUTS = 6


def test_cut_database_connections_fail_requests_cleanly_leave_nothing_partial_and_heal_without_restart(cluster):
    started = time.monotonic()
    cluster.start_web()
    cluster.start_worker("registration")
    cluster.start_worker("notifications")
    exchange = cluster.add_exchange(capacity=APPLICATIONS)

    progress: list = []
    answers: list = []
    stream = threading.Thread(target=lambda: answers.extend(
        cluster.apply_many(APPLICATIONS, [exchange], clients=4, progress=progress)))
    stream.start()
    connections_cut = 0
    for cut in range(CUTS):
        wait_until(lambda cut=cut: len(progress) >= (cut + 1) * APPLICATIONS // (CUTS + 2), timeout=120,
                   message="the stream to move on")
        connections_cut += cluster.terminate_backends()
    stream.join()

    still_running = all(process.poll() is None for process in cluster.processes.running)
    healthy = http("GET", f"{cluster.base}/healthz")[0]
    late = cluster.apply(APPLICATIONS, [exchange], deadline=time.monotonic() + 10)
    confirmed = cluster.confirmed_emails()
    cuts_done_at = time.monotonic()

    def logged_sent() -> int:
        return cluster.count("notifications", Message, Message.template == "confirmation", Message.status == "sent")

    wait_until(lambda: set(cluster.mail_counts(CONFIRMED_SUBJECT)[0]) >= set(confirmed), timeout=LEASE + 90,
               interval=0.2, message="a confirmation for every confirmed booking")
    recovered_at = time.monotonic()
    wait_until(lambda: logged_sent() == len(confirmed), timeout=LEASE + 90, interval=0.2,
               message="the delivery log to show every confirmation sent")
    logged_at = time.monotonic()
    wait_until(lambda: cluster.unsent("registration", "notifications") == 0, timeout=60, interval=0.2)
    time.sleep(1.0)
    per_recipient, per_message_id = cluster.mail_counts(CONFIRMED_SUBJECT)
    applications = cluster.count("registration", Application)
    bookings = cluster.count("registration", Booking)
    booking_events = cluster.count("registration", Outbox, Outbox.type.like("registration.booking.%"))

    figures = record("db_drop", {
        **summarise(answers),
        "connection_cuts": CUTS,
        "connections_cut": connections_cut,
        "processes_restarted": 0 if still_running else sum(1 for p in cluster.processes.running if p.poll() is not None),
        "healthz_after": healthy,
        "application_after_cuts": 201 if late.body else late.failures[-1:],
        "applications_stored": applications,
        "bookings_stored": bookings,
        "booking_events_in_outbox": booking_events,
        "confirmed_bookings": len(confirmed),
        "confirmation_emails_received": sum(per_recipient.values()),
        "confirmations_missing": len(set(confirmed) - set(per_recipient)),
        "distinct_messages_received": len(per_message_id),
        "second_messages": len(per_message_id) - len(per_recipient),
        "resent_with_same_message_id": sum(n - 1 for n in per_message_id.values()),
        "delivery_log_rows_sent": logged_sent(),
        "lease_seconds": LEASE,
        "seconds_to_deliver_all_after_last_cut": round(recovered_at - cuts_done_at, 1),
        "seconds_to_mark_all_sent_after_last_cut": round(logged_at - cuts_done_at, 1),
        "outbox_unsent_at_end": cluster.unsent("registration", "notifications"),
        "seconds_total": round(time.monotonic() - started, 1),
    })
    assert connections_cut >= CUTS, "each cut found connections of the kx processes to terminate"
    assert figures["applications_accepted"] == APPLICATIONS, figures
    assert set(figures["failed_attempts_by_status"]) <= {"0", "500", "503"}, "a cut connection fails a request cleanly"
    assert still_running and healthy == 200 and late.body, "recovered without a restart"
    assert applications == bookings == booking_events == APPLICATIONS + 1, "nothing half stored, nothing twice"
    assert figures["confirmations_missing"] == 0
    assert len(per_message_id) == len(per_recipient) == len(confirmed) == logged_sent(), "one message per booking"
    assert figures["resent_with_same_message_id"] <= CUTS * RESENT_AT_MOST_PER_CRASH
    assert figures["outbox_unsent_at_end"] == 0
