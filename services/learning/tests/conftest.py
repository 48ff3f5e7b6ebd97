"""Learning's test fixtures: registration's events delivered through the real consumer path, and
the pack builder run as the worker would. `runtime`, `app`, `client` and `auth` come from
shared/testing.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.learning.handlers import HANDLERS
from services.learning.packs.build import build_packs
from services.learning.service import SERVICE
from shared import factories
from shared.testing import Deliveries

START = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)


@pytest.fixture
def service():
    return SERVICE


class Bus(Deliveries):
    """Delivers registration's events to learning's handlers as the consumer would."""

    def __init__(self, runtime):
        super().__init__(runtime, HANDLERS)

    def exchange(self, exchange_id: int, theme: str = "T1", title: str | None = None, outcomes=(), hosts=()):
        self.deliver("registration.exchange.published", factories.exchange_published(
            exchange_id, START + timedelta(days=exchange_id), theme=theme, title=title or f"Exchange {exchange_id}",
            host={"name": "Example Health Board", "accounts": list(hosts)},
            booking_closes_at=START - timedelta(days=10), learning_outcomes=list(outcomes)))

    def booking(self, application_id: int, exchange_id: int, token: str | None = None,
                participant_type: str = "occupation", group: str | None = "health", status: str = "confirmed"):
        self.deliver(f"registration.booking.{status}", factories.booking(
            application_id, exchange_id, token=token,
            applicant={"participant_type": participant_type, "stakeholder_group": group}))

    def attended(self, application_id: int, exchange_id: int, stage: str = "exchange", attended: bool = True):
        self.deliver("registration.attendance.recorded", factories.attendance(application_id, exchange_id, stage,
                                                                              attended))


@pytest.fixture
def bus(runtime):
    return Bus(runtime)


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
