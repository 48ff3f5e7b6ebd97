"""A deployment of the one-programme schema upgrades with every row kept, on SQLite and PostgreSQL.

The fixtures are each service's database with the demo programme loaded, as the last one-programme
schema had it (tests/fixtures/one_programme/, made by its make.py at commit 90b79d0).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared import row_fixtures
from shared.config import SERVICES, load
from shared.migrations import is_current, upgrade
from shared.registry import load_service
from shared.service import Runtime
from shared.testing import distributed_env

FIXTURES = Path(__file__).parent / "fixtures" / "one_programme"


def fixture_of(service: str) -> dict:
    return json.loads((FIXTURES / f"{service}.json").read_text())


def upgraded(runtime: Runtime) -> dict[str, int]:
    """Rows per table after loading the service's fixture and upgrading to the latest schema."""
    row_fixtures.load(runtime, fixture_of(runtime.service.name))
    upgrade(runtime)
    assert is_current(runtime)
    return row_fixtures.counts(runtime)


def _check_every_row_kept(runtime: Runtime) -> None:
    try:
        before = {table: len(rows) for table, rows in fixture_of(runtime.service.name)["tables"].items()}
        after = upgraded(runtime)
        assert {table: after.get(table) for table in before} == before
    finally:
        runtime.dispose()


@pytest.mark.parametrize("service", SERVICES)
def test_a_one_programme_database_upgrades_keeping_every_row_on_sqlite(service, embedded_settings):
    _check_every_row_kept(Runtime(load_service(service), embedded_settings))


@pytest.mark.integration
@pytest.mark.parametrize("service", SERVICES)
def test_a_one_programme_database_upgrades_keeping_every_row_on_postgresql(service, rabbitmq, pg_schemas, tmp_path):
    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path))
    _check_every_row_kept(Runtime(load_service(service), settings))
