"""Registration test fixtures: a small catalogue, and helpers to apply and to read the events
emitted.

`runtime` (a migrated embedded database), `app`, `client` and `auth` come from shared/testing.py
(loaded by the root conftest), for the service named here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from services.registration.models import Exchange, Outbox
from services.registration.operations import Applicant, apply, create_exchange, create_theme
from services.registration.service import SERVICE
from shared.events import parse
from shared.testing import make_app, staff_token

NOW = datetime.now(UTC).replace(microsecond=0)
#: exchanges in most tests start in 30 days and close for booking in 20
STARTS = (NOW + timedelta(days=30)).replace(hour=10, minute=0, second=0)


@pytest.fixture
def service():
    return SERVICE


@pytest.fixture
def session(runtime):
    """A session for calling operations directly; the test commits (or not) like a view would."""
    with runtime.session() as session:
        yield session


@pytest.fixture
def app(runtime):
    # no rate limit here: test_api_applications pins it with an app of its own
    return make_app(runtime, KX_APPLY_RATE_LIMIT="0")


def exchange_fields(title="Open access crisis café", capacity=3, starts=None, theme="T1", subtheme="T1.1",
                    accounts=(), **overrides) -> dict:
    """Exchange input as `schemas.ExchangeInput` loads it."""
    starts = starts or STARTS
    fields = {
        "title": title, "theme": theme, "subtheme": subtheme,
        "host": {"name": "Example Valleys Health Board", "accounts": list(accounts)},
        "location": {"site": "Example Community Hub", "town": "Aberystwyth"},
        "starts_at": starts, "ends_at": starts + timedelta(hours=4), "capacity": capacity,
        "booking_closes_at": starts - timedelta(days=10), "description": "An illustrative exchange.",
        "learning_outcomes": ["How open access works", "What people say of it"],
        "orientation": {"starts_at": starts - timedelta(days=7), "url": "https://example.org/orientation"},
        "reflection": {"starts_at": starts + timedelta(days=7), "url": "https://example.org/reflection"},
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def signed_in(client, embedded_settings):
    """`signed_in(admin=[])` puts a staff token in the browser session, as sign-in would."""

    def sign(**roles):
        with client.session_transaction() as session:
            session["staff_token"] = staff_token(embedded_settings, roles)
        return client

    return sign


@pytest.fixture
def catalogue(runtime):
    """Themes T1 (with T1.1, T1.2) and T2, and one exchange of 3 places; returns its id."""
    with runtime.session() as session, session.begin():
        create_theme(session, "T1", "Transforming the community mental health system",
                     [{"code": "T1.1", "title": "Open access care"},
                      {"code": "T1.2", "title": "Person-centred, recovery-oriented, trauma-informed practice"}])
        create_theme(session, "T2", "Redefining the mental health workforce")
        exchange = create_exchange(session, exchange_fields(accounts=["host@example.org"]))
        return exchange.id


def add_exchange(runtime, **fields) -> int:
    with runtime.session() as session, session.begin():
        return create_exchange(session, exchange_fields(**fields)).id


def held(runtime, exchange_id: int) -> None:
    """Time passes: the exchange, booked while it was open, has now been held, its reflection
    session a day ago (every stage has started, so attendance can be recorded)."""
    with runtime.session() as session, session.begin():
        exchange = session.get(Exchange, exchange_id)
        shift = (exchange.reflection_starts_at or exchange.ends_at) - datetime.now(UTC) + timedelta(days=1)
        for name in ("starts_at", "ends_at", "booking_closes_at", "orientation_starts_at", "reflection_starts_at"):
            if getattr(exchange, name) is not None:
                setattr(exchange, name, getattr(exchange, name) - shift)


def applicant(number: int = 1, participant_type: str = "occupation", **overrides) -> Applicant:
    values = {"name": f"Person {number} Example", "email": f"person{number}@example.org",
              "participant_type": participant_type, "language": "en", "organisation": "Example Trust",
              "role": "Nurse", "stakeholder_group": "health"}
    values.update(overrides)
    return Applicant(**values)


def apply_now(runtime, who: Applicant, exchange_ids, now=None):
    """Apply in its own committed transaction, as a request would; returns the result."""
    with runtime.session() as session, session.begin():
        return apply(session, who, list(exchange_ids), line_manager_permission="yes", will_attend_sessions=True,
                     privacy_notice_accepted=True, now=now)


def events(runtime, prefix: str = "") -> list[tuple[str, dict]]:
    """Every event in the outbox, in order, each checked against its schema as a consumer would."""
    with runtime.session() as session:
        rows = session.scalars(select(Outbox).order_by(Outbox.id)).all()
    found = []
    for row in rows:
        envelope, _data = parse(row.envelope)
        if envelope["type"].startswith(prefix):
            found.append((envelope["type"], json.loads(row.envelope)["data"]))
    return found

