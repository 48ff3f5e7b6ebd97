"""shared/ratelimit.py, the database-backed limiter, on registration's `rate_limits` table: a
sliding window over two buckets, only allowed hits counted, keys stored as HMACs, old rows pruned."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.registration.models import RateLimit
from shared import ratelimit

WINDOW = 60
START = 1_800_000_000.0  # the start of a bucket: 1_800_000_000 is a multiple of 60


def _hits(runtime, key, limit, times):
    decisions = []
    for now in times:
        with runtime.session() as session:
            decisions.append(ratelimit.hit(session, key, limit, WINDOW, now=now))
            session.commit()
    return decisions


def test_hits_up_to_the_limit_are_allowed_and_the_next_is_refused_with_a_retry_after(runtime):
    decisions = _hits(runtime, "k", 3, [START + n for n in range(4)])
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 1 <= decisions[-1].retry_after <= WINDOW * 2


def test_a_refused_hit_is_not_counted(runtime):
    _hits(runtime, "k", 2, [START, START + 1, START + 2, START + 3, START + 4])
    with runtime.session() as session:
        assert session.scalar(select(func.sum(RateLimit.hits))) == 2


def test_the_previous_bucket_counts_by_the_share_of_it_still_in_the_window(runtime):
    _hits(runtime, "k", 4, [START + 50 + n for n in range(4)])  # four hits late in one bucket
    # a quarter into the next: 3/4 of 4 = 3 still count, so one more fits and a second does not
    assert [d.allowed for d in _hits(runtime, "k", 4, [START + 75, START + 76])] == [True, False]
    # once the old bucket is all but gone, the allowance is back
    assert [d.allowed for d in _hits(runtime, "k", 4, [START + 119, START + 119.5])] == [True, True]


def test_retry_after_is_when_a_hit_would_be_allowed_again(runtime):
    refused = _hits(runtime, "k", 2, [START + 10, START + 11, START + 12])[-1]
    assert not refused.allowed
    assert _hits(runtime, "k", 2, [START + 12 + refused.retry_after - 1])[0].allowed is False
    assert _hits(runtime, "k", 2, [START + 12 + refused.retry_after])[0].allowed is True


def test_keys_are_counted_apart_and_stored_only_as_hmacs(runtime):
    assert all(d.allowed for d in _hits(runtime, ("email", "a@example.org"), 1, [START]))
    assert all(d.allowed for d in _hits(runtime, ("email", "b@example.org"), 1, [START]))
    with runtime.session() as session:
        keys = list(session.scalars(select(RateLimit.key)))
    assert len(keys) == 2 and all(len(k) == 64 and "example" not in k for k in keys)


def test_peek_counts_nothing_and_says_whether_a_hit_would_be_allowed(runtime):
    with runtime.session() as session:
        assert ratelimit.peek(session, "k", 1, WINDOW, now=START).allowed
        assert ratelimit.peek(session, "k", 1, WINDOW, now=START).allowed
    _hits(runtime, "k", 1, [START])
    with runtime.session() as session:
        assert not ratelimit.peek(session, "k", 1, WINDOW, now=START + 1).allowed


def test_a_limit_of_zero_is_off_and_writes_nothing(runtime):
    assert all(d.allowed for d in _hits(runtime, "k", 0, [START] * 20))
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(RateLimit)) == 0


def test_prune_deletes_the_rows_that_no_longer_count(runtime):
    _hits(runtime, "old", 5, [START])
    _hits(runtime, "new", 5, [START + 3 * WINDOW])
    with runtime.session() as session:
        assert ratelimit.prune(session, now=START + 3 * WINDOW) == 1
        session.commit()
        assert session.scalar(select(func.count()).select_from(RateLimit)) == 1


def test_a_hit_that_the_callers_transaction_rolls_back_is_not_counted(runtime):
    with runtime.session() as session:
        assert ratelimit.hit(session, "k", 1, WINDOW, now=START).allowed
        session.rollback()
    assert _hits(runtime, "k", 1, [START + 1])[0].allowed


def test_enforce_raises_the_one_429_with_retry_after(runtime):
    from shared.errors import ApiError

    with runtime.session() as session, pytest.raises(ApiError) as refused:
        ratelimit.enforce(session, "k", 1, WINDOW, "Too many.")
        ratelimit.enforce(session, "k", 1, WINDOW, "Too many.")
    assert (refused.value.status, refused.value.code) == (429, "rate_limited")
    assert refused.value.retry_after >= 1


@pytest.mark.integration
def test_on_postgresql_concurrent_hits_from_many_connections_allow_exactly_the_limit(embedded_settings, pg_schemas):
    import threading

    from services.registration.service import SERVICE
    from shared.migrations import upgrade
    from shared.service import Runtime

    runtime = Runtime(SERVICE, embedded_settings, database_url=pg_schemas("registration"))
    upgrade(runtime)
    start, allowed, lock = threading.Barrier(20), [], threading.Lock()

    def one():
        start.wait()
        for _ in range(5):
            with runtime.session() as session:
                decision = ratelimit.hit(session, "shared", 37, WINDOW, now=START + 1)
                session.commit()
            with lock:
                allowed.append(decision.allowed)

    threads = [threading.Thread(target=one) for _ in range(20)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert allowed.count(True) == 37 and len(allowed) == 100
    finally:
        runtime.dispose()
