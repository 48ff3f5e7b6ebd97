"""Every service's migrations build exactly the schema its models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from services.expenses import models as expenses_models
from services.learning import models as learning_models
from shared.config import SERVICES, load
from shared.migrations import alembic_config, is_current, upgrade
from shared.projections import BEFORE_ANY_EVENT
from shared.registry import load_service
from shared.service import Runtime
from shared.testing import distributed_env
from shared.times import iso


def _differences(runtime: Runtime) -> list:
    with runtime.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, runtime.service.base.metadata)


def _check(runtime: Runtime) -> None:
    try:
        upgrade(runtime)
        assert is_current(runtime)
        assert _differences(runtime) == []
        upgrade(runtime)  # running it again changes nothing and does not fail
    finally:
        runtime.dispose()


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models_on_sqlite(service, embedded_settings):
    _check(Runtime(load_service(service), embedded_settings))


@pytest.mark.integration
@pytest.mark.parametrize("service", SERVICES)
def test_migrations_match_the_models_on_postgresql(service, rabbitmq, pg_schemas, tmp_path):
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path))
    _check(Runtime(load_service(service), settings))


# --- projections' event_time: text before the 0004 migrations, a moment after -------------------

#: event times as envelopes wrote them, and as demo rows did (empty); what each becomes
STORED_TEXT = {1: "2025-06-10T14:05:00.123456+01:00", 2: "2025-06-10T13:05:00+00:00", 3: ""}
AS_MOMENTS = {1: datetime(2025, 6, 10, 13, 5, 0, 123456, tzinfo=UTC), 2: datetime(2025, 6, 10, 13, 5, tzinfo=UTC),
              3: BEFORE_ANY_EVENT}


#: each service's attendance projection (the same columns in both)
ATTENDANCE = {"expenses": expenses_models.Attendance, "learning": learning_models.Attendance}


def _check_event_time_conversion(runtime: Runtime) -> None:
    name = runtime.service.name
    try:
        upgrade(runtime, f"{name}_0003")
        with runtime.engine.begin() as connection:
            for application_id, text in STORED_TEXT.items():
                connection.execute(sa.text("INSERT INTO attendance (exchange_id, application_id, stage, attended, "
                                           "event_time) VALUES (7, :id, 'exchange', :yes, :text)"),
                                   {"id": application_id, "yes": True, "text": text})
        upgrade(runtime)
        with runtime.session() as session:
            rows = session.scalars(sa.select(ATTENDANCE[name])).all()
            assert {row.application_id: row.event_time for row in rows} == AS_MOMENTS
        config = alembic_config(runtime)
        with runtime.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, f"{name}_0003")
            back = dict(connection.execute(sa.text("SELECT application_id, event_time FROM attendance")).all())
        assert back == {key: iso(moment) for key, moment in AS_MOMENTS.items()}
    finally:
        runtime.dispose()


@pytest.mark.parametrize("service", ATTENDANCE)
def test_projection_event_times_become_moments_on_sqlite(service, embedded_settings):
    _check_event_time_conversion(Runtime(load_service(service), embedded_settings))


@pytest.mark.integration
@pytest.mark.parametrize("service", ATTENDANCE)
def test_projection_event_times_become_moments_on_postgresql(service, rabbitmq, pg_schemas, tmp_path):
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path))
    _check_event_time_conversion(Runtime(load_service(service), settings))
