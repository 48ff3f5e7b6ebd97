"""Every service's migrations build exactly the schema its models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from shared.config import SERVICES, load
from shared.migrations import is_current, upgrade
from shared.registry import load_service
from shared.service import Runtime
from shared.testing import distributed_env


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
