"""Fixtures of the cross-service tests (the repository-wide ones are in shared/testing.py)."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from tests.support.faults import Cluster


@pytest.fixture
def cluster(rabbitmq, pg_schemas, tmp_path):
    """kx as docker-compose runs it, for the fault tests (tests/test_faults_*.py)."""
    with Cluster(rabbitmq, pg_schemas, tmp_path) as cluster:
        yield cluster


class ExpensesOnPostgres(NamedTuple):
    runtime: object
    client: object
    bus: object
    settings: object


@pytest.fixture
def expenses_pg(rabbitmq, pg_schemas, tmp_path):
    """Expenses alone on PostgreSQL and RabbitMQ, migrated, knowing exchange 1 (its test `Bus` tells
    it more: `bus.claimant(...)`); for tests/test_expenses_postgres.py and test_receipts_postgres.py."""
    from cryptography.fernet import Fernet

    from services.expenses import create_app
    from services.expenses.service import SERVICE
    from services.expenses.tests.conftest import Bus
    from shared.config import load
    from shared.migrations import upgrade
    from shared.service import Runtime
    from shared.testing import distributed_env

    settings = load(distributed_env(rabbitmq, pg_schemas, tmp_path, KX_EXPENSES_KEYS=Fernet.generate_key().decode()))
    runtime = Runtime(SERVICE, settings)
    upgrade(runtime)
    bus = Bus(runtime)
    bus.exchange(1)
    yield ExpensesOnPostgres(runtime, create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client(), bus, settings)
    runtime.dispose()
