"""The demo programme: shaped like the 2025 exchange, illustrative, published to the bus, around today."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import select

from services.registration.demo import load_demo
from services.registration.models import Exchange, StaffAccount
from services.registration.operations import list_exchanges, participants, sign_in, theme_tree
from shared.db import utcnow

from .conftest import events


def loaded(runtime, embedded_settings):
    with runtime.session() as session, session.begin():
        load_demo(session, embedded_settings)


def test_the_demo_has_three_themes_and_nineteen_exchanges(runtime, embedded_settings):
    loaded(runtime, embedded_settings)
    with runtime.session() as session:
        themes = theme_tree(session)
        exchanges = list_exchanges(session)
    assert [t["code"] for t in themes] == ["T1", "T2", "T3"]
    assert [s["code"] for s in themes[0]["subthemes"]] == ["T1.1", "T1.2", "T1.3"]
    assert len(exchanges) == 19 and sorted(e["id"] for e in exchanges) == list(range(1, 20))
    assert Counter(e["theme"] for e in exchanges)["T3"] == 3
    assert min(e["capacity"] for e in exchanges) == 6 and max(e["capacity"] for e in exchanges) == 20
    same_day = Counter(e["starts_at"][:10] for e in exchanges)
    by_id = {e["id"]: e for e in exchanges}
    assert all(same_day[by_id[a]["starts_at"][:10]] == 2 and by_id[a]["starts_at"][:10] == by_id[b]["starts_at"][:10]
               for a, b in ((3, 4), (9, 10), (12, 13)))
    assert all("(illustrative)" in e["title"] and e["orientation"] and e["reflection"] for e in exchanges)
    assert all(e["orientation"]["url"].startswith("https://example.org/") for e in exchanges)


def test_the_first_six_exchanges_were_held_in_the_last_weeks_and_the_rest_are_open_for_booking(
        runtime, embedded_settings):
    loaded(runtime, embedded_settings)
    with runtime.session() as session:
        exchanges = {e["id"]: e for e in list_exchanges(session)}
    now = utcnow()

    def moment(text):
        return datetime.fromisoformat(text)

    for exchange_id in range(1, 7):
        past = exchanges[exchange_id]
        assert past["status"] == "closed", exchange_id
        assert moment(past["orientation"]["starts_at"]) < moment(past["starts_at"]) < now
        assert moment(past["reflection"]["starts_at"]) < now
        assert (now - moment(past["starts_at"])).days < 70  # within the last weeks
    earliest = min(moment(exchanges[i]["starts_at"]) for i in range(7, 20))
    for exchange_id in range(7, 20):
        future = exchanges[exchange_id]
        assert future["status"] == "open", exchange_id
        closes = moment(future["booking_closes_at"])
        assert now < closes < earliest and (earliest - closes).days >= 3
        assert moment(future["orientation"]["starts_at"]) < moment(future["starts_at"])
        assert moment(future["reflection"]["starts_at"]) > moment(future["ends_at"])


def test_the_past_exchanges_have_participants_who_attended(runtime, embedded_settings):
    loaded(runtime, embedded_settings)
    with runtime.session() as session:
        grids = {exchange_id: participants(session, exchange_id) for exchange_id in range(1, 20)}
    assert all(len(grids[exchange_id]) == 3 for exchange_id in range(1, 7))
    assert all(row.booking.status == "confirmed" and row.attendance["exchange"] is True
               for exchange_id in range(1, 7) for row in grids[exchange_id])
    assert not any(grids[exchange_id] for exchange_id in range(7, 20))
    recorded = events(runtime, "registration.attendance.recorded")
    assert {data["exchange_id"] for _, data in recorded} == set(range(1, 7))


def test_the_demo_publishes_every_exchange(runtime, embedded_settings):
    loaded(runtime, embedded_settings)
    published = events(runtime, "registration.exchange.published")
    assert sorted(data["id"] for _, data in published) == list(range(1, 20))
    assert all(data["host"]["accounts"] == ["host@example.org"] for _, data in published)


def test_the_demo_staff_sign_in_with_the_demo_password_and_their_roles(runtime, embedded_settings):
    loaded(runtime, embedded_settings)
    with runtime.session() as session, session.begin():
        roles = {email: sign_in(session, email, embedded_settings.demo_password).staff.roles
                 for email in ("admin@example.org", "host@example.org", "lead@example.org",
                               "finance@example.org", "finance2@example.org")}
        assert sign_in(session, "admin@example.org", "wrong").staff is None
    assert roles["admin@example.org"] == {"admin": []}
    assert roles["host@example.org"] == {"host": list(range(1, 20))}
    assert roles["lead@example.org"] == {"theme_lead": ["T1", "T2", "T3"]}
    assert roles["finance2@example.org"] == {"finance": []}


def test_the_demo_leaves_a_database_with_data_alone(runtime, embedded_settings):
    loaded(runtime, embedded_settings)
    loaded(runtime, embedded_settings)
    with runtime.session() as session:
        assert len(session.scalars(select(Exchange)).all()) == 19
        assert len(session.scalars(select(StaffAccount)).all()) == 5


def test_every_text_of_the_demo_programme_has_its_welsh(runtime, embedded_settings):
    loaded(runtime, embedded_settings)
    with runtime.session() as session:
        themes = theme_tree(session)
        exchanges = session.scalars(select(Exchange)).all()
    assert all(t["title_cy"] for t in themes) and all(s["title_cy"] for t in themes for s in t["subthemes"])
    for exchange in exchanges:
        for name in ("title", "site", "description", "learning_outcomes", "time_commitment"):
            welsh = getattr(exchange, f"{name}_cy")
            assert welsh and welsh != getattr(exchange, name), (exchange.id, name)
        assert len(exchange.learning_outcomes_cy.splitlines()) == len(exchange.learning_outcomes.splitlines())
    assert "Caerdydd" in next(e.description_cy for e in exchanges if e.town == "Cardiff")
