"""Notifications on the real RabbitMQ and PostgreSQL: events in, SMTP out, each message once,
however many workers compete."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from services.notifications.config import for_session
from services.notifications.handlers import HANDLERS
from services.notifications.models import Message, Reminder
from services.notifications.operations.announcements import write_announcement
from services.notifications.operations.reminders import remind_due
from services.notifications.operations.sending import send_due
from services.notifications.service import SERVICE
from services.notifications.tests.conftest import Clock, Events, exchange_brief, messages
from services.notifications.tests.mailserver import MailServer
from shared.bus import Bus, dumps
from shared.config import load
from shared.consumer import Consumer
from shared.events import make_envelope, parse
from shared.migrations import upgrade
from shared.service import Runtime
from shared.testing import delete_bus_namespace, distributed_env, wait_until
from shared.worker import Worker

pytestmark = pytest.mark.integration


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


@pytest.fixture
def settings(rabbitmq, pg_schemas, tmp_path, mail_server):
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path / "var", KX_SMTP_URL=mail_server.url,
                                    KX_PUBLIC_URL="https://kx.example.org"))
    yield settings
    delete_bus_namespace(settings)


@pytest.fixture
def runtimes(settings):
    """`make()` -> a notifications Runtime on the shared PostgreSQL schema (one per 'worker')."""
    made = []

    def make() -> Runtime:
        runtime = Runtime(SERVICE, settings)
        if not made:
            upgrade(runtime)
        made.append(runtime)
        return runtime

    yield make
    for runtime in made:
        runtime.dispose()


@pytest.fixture
def workers():
    stop = threading.Event()
    started = []

    def start(runtime: Runtime) -> Worker:
        worker = Worker(runtime)
        worker.start(stop)
        assert worker.wait_ready()
        started.append(worker)
        return worker

    yield start
    stop.set()
    for worker in started:
        worker.join(10)


def _booking(n: int) -> dict:
    return {"booking_id": n, "exchange_id": 7, "application_id": n, "waitlist_position": None,
            "applicant": {"name": "Alex Example", "email": f"person{n}@example.org", "language": "en",
                          "participant_type": "occupation"},
            "exchange": exchange_brief(), "manage_token": f"tok-{n}"}


def _publish(runtime: Runtime, bodies: list[tuple[str, str]]) -> None:
    """As registration, whose bookings they are: notifications refuses them from anyone else."""
    bus = Bus.from_settings(runtime.settings, "registration")
    with bus.connection() as connection:
        producer = connection.Producer()
        for body, routing_key in bodies:
            bus.publish(producer, body, routing_key, "x")


def test_a_booking_event_on_rabbitmq_is_delivered_by_smtp_once_even_when_redelivered(runtimes, workers, mail_server):
    runtime = runtimes()
    workers(runtime)
    body = dumps(make_envelope("registration", "registration.booking.confirmed", _booking(1)))
    _publish(runtime, [(body, "registration.booking.confirmed")] * 3)
    wait_until(lambda: len(mail_server.received) == 1, message="the confirmation at the SMTP server")
    time.sleep(1.0)  # time for the duplicates to be handled: they must send nothing
    assert len(mail_server.received) == 1
    email = mail_server.received[0].email
    assert email["Subject"] == "Your place is confirmed: Crisis care in the community"
    assert {p.get_content_type() for p in email.walk()} >= {"text/plain", "text/html", "text/calendar"}
    outbox = SERVICE.outbox
    with runtime.session() as session:
        wait_until(lambda: session.scalar(select(func.count()).select_from(outbox)
                                          .where(outbox.type == "notifications.message.sent")) == 1)


def test_two_workers_competing_on_rabbitmq_and_postgresql_never_double_send(runtimes, workers, mail_server):
    first, second = runtimes(), runtimes()
    workers(first)
    workers(second)
    bodies = [(dumps(make_envelope("registration", "registration.booking.confirmed", _booking(n))),
               "registration.booking.confirmed") for n in range(1, 201)]
    _publish(first, bodies + bodies[:50])  # 50 redelivered too
    wait_until(lambda: len(mail_server.received) >= 200, timeout=60, message="200 messages at the SMTP server")
    time.sleep(1.0)
    recipients = [r.recipients[0] for r in mail_server.received]
    assert len(recipients) == 200 and len(set(recipients)) == 200
    ids = {r.email["Message-ID"] for r in mail_server.received}
    assert len(ids) == 200


def test_two_send_jobs_racing_on_the_same_rows_never_double_send(runtimes, mail_server):
    first, second = runtimes(), runtimes()
    events = Events(first)
    for n in range(1, 151):
        events.deliver("registration.booking.confirmed", _booking(n))
    barrier = threading.Barrier(4)

    def run(runtime):
        barrier.wait()
        while send_due(runtime):
            pass

    threads = [threading.Thread(target=run, args=(rt,)) for rt in (first, second, first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(mail_server.received) == 150
    assert len({r.email["Message-ID"] for r in mail_server.received}) == 150
    with first.session() as session:
        assert session.scalar(select(func.count()).select_from(Message).where(Message.status == "sent")) == 150


def test_two_remind_jobs_racing_turn_each_due_reminder_into_one_message(runtimes):
    first, second = runtimes(), runtimes()
    events = Events(first)
    starts = datetime.now(UTC) + timedelta(days=30)
    for n in range(1, 41):
        data = _booking(n)
        data["exchange"] = exchange_brief(starts)
        events.deliver("registration.booking.confirmed", data)
    clock = Clock(starts - timedelta(hours=2))  # the workers were down: every exchange reminder is due
    barrier = threading.Barrier(4)

    def run(runtime):
        barrier.wait()
        while remind_due(runtime, clock):
            pass

    threads = [threading.Thread(target=run, args=(rt,)) for rt in (first, second, first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    with first.session() as session:
        reminders = session.scalar(select(func.count()).select_from(Message).where(Message.template == "reminder"))
        assert reminders == 40, "one 'tomorrow' reminder per booking, no more"
        left = session.scalar(select(func.count()).select_from(Reminder).where(
            Reminder.status == "scheduled", Reminder.due_at <= clock.now))
        assert left == 0


JOINING = {"contacts": "Jo, the host: 01234 567890", "timings": "Arrive 9:15am; finish 3:30pm",
           "venue": "Main entrance, ask at reception", "access": "Step-free from the car park; hearing loop"}


def _joining_information_recipients(runtime: Runtime) -> set[str]:
    return {message.recipient for message in messages(runtime, template="announcement")}


def test_a_participant_confirmed_while_the_joining_information_is_being_saved_still_gets_it(runtimes):
    runtime = runtimes()
    events = Events(runtime)
    events.deliver("registration.booking.confirmed", _booking(1))
    # The booking's transaction has recorded the confirmation but not committed when the host saves.
    recorded, release = threading.Event(), threading.Event()
    bookings = next(handler for handler in HANDLERS if handler.name == "bookings")

    def record_then_wait(session, envelope, data):
        bookings.func(session, envelope, data)
        recorded.set()
        release.wait(30)

    paused = dataclasses.replace(bookings, func=record_then_wait)
    envelope, data = parse(dumps(make_envelope("registration", "registration.booking.confirmed", _booking(2))))
    confirming = threading.Thread(target=Consumer(runtime, (paused,)).handle,
                                  args=(paused, "notifications.bookings", envelope, data))
    confirming.start()
    assert recorded.wait(10)

    def save():
        with runtime.session() as session, session.begin():
            write_announcement(session, for_session(session), 7, JOINING, staff_id=1)

    saving = threading.Thread(target=save)
    saving.start()
    saving.join(1.0)  # unguarded, the save would be over by now, blind to the second participant
    release.set()
    confirming.join(10)
    saving.join(10)
    assert _joining_information_recipients(runtime) == {"person1@example.org", "person2@example.org"}


def test_joining_information_saved_while_a_participant_is_being_confirmed_reaches_them(runtimes):
    runtime = runtimes()
    events = Events(runtime)
    events.deliver("registration.booking.confirmed", _booking(1))
    saving = runtime.session()
    saving.begin()
    write_announcement(saving, for_session(saving), 7, JOINING, staff_id=1)  # saved, not yet committed
    confirming = threading.Thread(target=events.deliver, args=("registration.booking.confirmed", _booking(2)))
    confirming.start()
    confirming.join(1.0)  # unguarded, the booking would be recorded by now, blind to the joining information
    saving.commit()
    saving.close()
    confirming.join(10)
    assert _joining_information_recipients(runtime) == {"person1@example.org", "person2@example.org"}
