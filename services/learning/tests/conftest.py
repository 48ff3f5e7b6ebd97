"""Learning's test fixtures: a migrated embedded database, the app, and events delivered through
the real consumer path (JSON round trip, schema, inbox, one transaction)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from services.learning import create_app
from services.learning.handlers import HANDLERS
from services.learning.packs.build import build_packs
from services.learning.service import SERVICE
from shared.bus import dumps
from shared.consumer import Consumer
from shared.events import make_envelope, parse
from shared.migrations import upgrade
from shared.service import Runtime
from shared.testing import staff_token

START = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def runtime(embedded_settings):
    runtime = Runtime(SERVICE, embedded_settings)
    upgrade(runtime)
    yield runtime
    runtime.dispose()


@pytest.fixture
def app(runtime):
    return create_app({"KX_RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


class Bus:
    """Delivers registration's events to learning's handlers as the consumer would."""

    def __init__(self, runtime):
        self.runtime = runtime
        self.consumer = Consumer(runtime, HANDLERS)

    def deliver(self, event_type: str, data: dict) -> None:
        envelope, loaded = parse(dumps(make_envelope("registration", event_type, data)))
        for handler in HANDLERS:
            if event_type in handler.events:
                self.consumer.handle(handler, f"learning.{handler.name}", envelope, loaded)

    def exchange(self, exchange_id: int, theme: str = "T1", title: str | None = None, outcomes=(), hosts=()):
        starts = START + timedelta(days=exchange_id)
        self.deliver("registration.exchange.published", {
            "id": exchange_id, "title": title or f"Exchange {exchange_id}", "theme": theme, "subtheme": None,
            "host": {"name": "Example Health Board", "accounts": list(hosts)},
            "location": {"site": "Example Hospital", "town": "Aberystwyth"},
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=4)).isoformat(),
            "capacity": 20, "places_left": 5, "waitlist_length": 0,
            "booking_closes_at": (START - timedelta(days=10)).isoformat(), "status": "open",
            "description": "An illustrative exchange.", "learning_outcomes": list(outcomes),
            "orientation": None, "reflection": None})

    def booking(self, application_id: int, exchange_id: int, token: str | None = None,
                participant_type: str = "occupation", group: str | None = "health", status: str = "confirmed"):
        self.deliver(f"registration.booking.{status}", {
            "booking_id": application_id * 100 + exchange_id, "exchange_id": exchange_id,
            "application_id": application_id,
            "applicant": {"name": "Alex Example", "email": f"person{application_id}@example.org", "language": "en",
                          "participant_type": participant_type, "stakeholder_group": group},
            "waitlist_position": None,
            "manage_token_hash": hashlib.sha256((token or f"token-{application_id}").encode()).hexdigest()})

    def attended(self, application_id: int, exchange_id: int, stage: str = "exchange", attended: bool = True):
        self.deliver("registration.attendance.recorded", {
            "exchange_id": exchange_id, "application_id": application_id,
            "email": f"person{application_id}@example.org", "stage": stage, "attended": attended})


@pytest.fixture
def bus(runtime):
    return Bus(runtime)


@pytest.fixture
def auth(embedded_settings):
    """`auth(host=[1], theme_lead=["T1"])` → request headers with a bearer token of those roles."""

    def make(staff_id: int = 1, **roles):
        token = staff_token(embedded_settings, {role: list(scopes) for role, scopes in roles.items()}, staff_id)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def admin(auth):
    return auth(admin=[])


@pytest.fixture
def worker(runtime):
    """Runs the pack builder until its queue is empty, as the worker would; returns how many ran."""

    def drain() -> int:
        runs = 0
        while build_packs(runtime):
            runs += 1
        return runs

    return drain


FULL = {"key_insights": ["Open access works"], "innovations": "Walk-in sessions", "challenges": "Records",
        "transferable_ideas": "Start small", "outcomes_met": [], "contributors": ["The host team"]}
