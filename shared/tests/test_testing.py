"""The test helpers every service's tests stand on: databases migrated once per run and copied per
test (shared/testing.py), and the payloads of registration's events (shared/factories.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, inspect, select

from services.learning.service import SERVICE
from shared import factories
from shared.events import validate_data
from shared.manage_tokens import token_hash
from shared.migrations import is_current, upgrade
from shared.service import Runtime
from shared.testing import migrate


def _runtime(embedded_settings, name: str) -> Runtime:
    return Runtime(SERVICE, embedded_settings, database_url=f"sqlite:///{embedded_settings.var_dir / name}")


def test_a_fresh_database_is_at_the_latest_schema_with_every_table(embedded_settings):
    runtime = _runtime(embedded_settings, "fresh.db")
    migrate(runtime)
    assert is_current(runtime)
    assert set(SERVICE.base.metadata.tables) <= set(inspect(runtime.engine).get_table_names())
    runtime.dispose()


def test_each_test_database_is_its_own_copy(embedded_settings):
    one, two = _runtime(embedded_settings, "one.db"), _runtime(embedded_settings, "two.db")
    migrate(one)
    migrate(two)
    with one.session() as session, session.begin():
        session.add(SERVICE.inbox(consumer="learning.x", event_id="e1", handled_at=datetime.now(UTC)))
    with one.session() as session:
        assert session.scalar(select(func.count()).select_from(SERVICE.inbox)) == 1
    with two.session() as session:
        assert session.scalar(select(func.count()).select_from(SERVICE.inbox)) == 0
    one.dispose()
    two.dispose()


def test_a_database_that_exists_is_migrated_and_keeps_its_rows(embedded_settings):
    runtime = _runtime(embedded_settings, "old.db")
    upgrade(runtime, "learning_0001")
    with runtime.engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO inbox (consumer, event_id, handled_at) "
                                   "VALUES ('learning.x', 'e1', '2030-01-01 00:00:00')")
    migrate(runtime)
    assert is_current(runtime)
    with runtime.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM inbox").scalar() == 1
    runtime.dispose()


def test_the_factories_payloads_are_valid_events():
    starts = datetime(2030, 6, 10, 8, 30, tzinfo=UTC)
    validate_data("registration.exchange.published", factories.exchange_published(1, starts))
    validate_data("registration.booking.confirmed", factories.booking(1, 1))
    validate_data("registration.attendance.recorded", factories.attendance(1, 1))


def test_a_booking_carries_the_hash_of_its_manage_token_and_the_applicants_overrides():
    data = factories.booking(3, 7, token="tok", applicant={"language": "cy"})
    assert data["booking_id"] == 307
    assert data["manage_token_hash"] == token_hash("tok") != token_hash("token-3")
    assert data["applicant"]["language"] == "cy" and data["applicant"]["email"] == "person3@example.org"
