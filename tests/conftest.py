"""Fixtures of the cross-service tests (the repository-wide ones are in shared/testing.py)."""

from __future__ import annotations

import pytest

from tests.support.faults import Cluster


@pytest.fixture
def cluster(rabbitmq, pg_schemas, tmp_path):
    """kx as docker-compose runs it, for the fault tests (tests/test_faults_*.py)."""
    with Cluster(rabbitmq, pg_schemas, tmp_path) as cluster:
        yield cluster
