"""Fixtures for every test in the repository live in shared/testing.py; this file adds the one
check every test gets: each API answer is as its service's OpenAPI document says."""

import os

import pytest

pytest_plugins = ["shared.testing"]

# Read by shared/openapi.py when an app is made: every API answer is checked (shared/contract_check.py).
os.environ["KX_CHECK_API_RESPONSES"] = "1"


@pytest.fixture(autouse=True)
def api_answers_as_documented():
    """Fails a test any of whose API answers differ from its service's OpenAPI document."""
    from shared import contract_check

    contract_check.VIOLATIONS.clear()
    yield
    found, contract_check.VIOLATIONS[:] = list(contract_check.VIOLATIONS), []
    assert not found, "API answers that differ from the OpenAPI document:\n" + "\n".join(found)
