"""200 applicants at once on SQLite (the embedded default): exactly capacity confirmed, the rest
on the waiting list at 1..180. The same rush on PostgreSQL is tests/test_registration_postgres.py."""

from __future__ import annotations

import pytest

from .conftest import add_exchange
from .rush import assert_first_come_first_served, rush


@pytest.mark.timeout(120)
def test_a_rush_of_200_on_sqlite_confirms_exactly_capacity_and_queues_the_rest_densely(runtime, catalogue):
    exchange_id = add_exchange(runtime, title="Rush", capacity=20)
    answers = rush(runtime, exchange_id, 200)
    assert_first_come_first_served(runtime, exchange_id, answers, capacity=20)
