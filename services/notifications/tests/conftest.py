"""Notifications' fixtures: a migrated embedded database sending to a real SMTP server on
loopback, events delivered through the real consumer path (JSON round trip, schema, inbox, one
transaction), and a clock the tests move. `app` and `client` come from shared/testing.py."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.notifications.handlers import HANDLERS
from services.notifications.models import Message
from services.notifications.operations.reminders import remind_due
from services.notifications.operations.sending import send_due
from services.notifications.service import SERVICE
from shared import factories
from shared.config import load
from shared.link_seal import seal
from shared.service import Runtime
from shared.testing import Deliveries, embedded_env, migrate

from .mailserver import MailHandler, MailServer

#: a Monday in British Summer Time: 09:30 in London is 08:30 UTC
EXCHANGE_STARTS = datetime(2030, 6, 10, 8, 30, tzinfo=UTC)


class Clock:
    """The time the jobs see; tests move it."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def mail_server():
    with MailServer() as server:
        yield server


def make_runtime(tmp_path, **env) -> Runtime:
    settings = load(embedded_env(tmp_path / "var", KX_MAIL_RETRY_DELAY="1", KX_PUBLIC_URL="https://kx.example.org",
                                 **env))
    runtime = Runtime(SERVICE, settings)
    migrate(runtime)
    return runtime


@pytest.fixture
def runtime(tmp_path, mail_server):
    runtime = make_runtime(tmp_path, KX_SMTP_URL=mail_server.url)
    yield runtime
    runtime.dispose()


@pytest.fixture
def clock():
    """A minute from now: what tests record (at the real time) is due by then."""
    return Clock(datetime.now(UTC) + timedelta(minutes=1))


class Events(Deliveries):
    """Delivers events to notifications' handlers as the consumer would."""

    def __init__(self, runtime: Runtime):
        super().__init__(runtime, HANDLERS)
        self._batch: list | None = None

    def handle(self, handler, envelope: dict, loaded: dict) -> None:
        if self._batch is not None:
            self._batch.append((handler, envelope, loaded))
        else:
            super().handle(handler, envelope, loaded)

    @contextmanager
    def in_one_batch(self):
        """The events delivered inside are handled together, in one transaction, as the consumer
        does with the messages it has in hand."""
        self._batch = []
        try:
            yield
            self.consumer.handle_batch(self._batch)
        finally:
            self._batch = None

    def booking(self, status: str = "confirmed", *, booking_id: int = 1, exchange_id: int = 7,
                application_id: int = 1, email: str = "alex@example.org", language: str = "en",
                starts_at: datetime = EXCHANGE_STARTS, position: int | None = None,
                manage_token: str | None = "tok-1", brief: bool = True, legacy: bool = False) -> dict:
        """`manage_token` travels sealed, as registration sends it; `legacy`: in clear, as events
        published before links were sealed carried it."""
        data = {
            "booking_id": booking_id, "exchange_id": exchange_id, "application_id": application_id,
            "applicant": {"name": "Alex Example", "email": email, "language": language,
                          "participant_type": "experience"},
            "waitlist_position": position,
        }
        if brief:
            data["exchange"] = exchange_brief(starts_at)
        if manage_token:
            data["manage_token" if legacy else "manage_token_sealed"] = \
                manage_token if legacy else seal(self.runtime.settings, manage_token)
        return self.deliver(f"registration.booking.{status}", data)


def exchange_brief(starts_at: datetime = EXCHANGE_STARTS) -> dict:
    return {
        "title": "Crisis care in the community", "starts_at": starts_at.isoformat(),
        "ends_at": (starts_at + timedelta(hours=6)).isoformat(),
        "location": {"site": "Example Community Hospital", "town": "Aberystwyth"},
        "host": {"name": "Example Health Board"},
        "orientation": {"starts_at": (starts_at - timedelta(days=14)).isoformat(),
                        "url": "https://meet.example.org/orientation-7"},
        "reflection": {"starts_at": (starts_at + timedelta(days=14)).isoformat(),
                       "url": "https://meet.example.org/reflection-7"},
    }


def exchange_data(exchange_id: int = 7, starts_at: datetime = EXCHANGE_STARTS) -> dict:
    return {**factories.exchange_published(exchange_id, starts_at, capacity=12, places_left=3, description="",
                                           booking_closes_at=starts_at - timedelta(days=21)),
            **exchange_brief(starts_at)}


@pytest.fixture
def events(runtime):
    return Events(runtime)


def messages(runtime, **where) -> list[Message]:
    with runtime.session() as session:
        query = select(Message).order_by(Message.id)
        for name, value in where.items():
            query = query.where(getattr(Message, name) == value)
        return list(session.scalars(query))


def drain(runtime, clock=None) -> int:
    """Run the send job until it has nothing left to do now."""
    total = 0
    while (count := send_due(runtime, clock) if clock else send_due(runtime)):
        total += count
    return total


def remind(runtime, clock) -> int:
    return remind_due(runtime, clock)


__all__ = ["Clock", "EXCHANGE_STARTS", "Events", "MailHandler", "MailServer", "drain", "exchange_brief",
           "exchange_data", "make_runtime", "messages", "remind"]
