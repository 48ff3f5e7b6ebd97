"""Retention (docs/privacy.md): `KX_RETENTION_DAYS` after the programme's end, as registration
announces it, every service's retention job erases or anonymises the personal data it holds. The
jobs take the clock as an argument: these tests freeze it instead of waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.config import SERVICES
from shared.db import utcnow
from shared.privacy import retention_cutoff
from shared.testing import wait_until
from tests.support.journey import ACCESS_NEEDS, EMAIL, NAME, REFLECTION_TEXT, run_journey, start


@pytest.fixture
def system(tmp_path):
    system = start(tmp_path, KX_RETENTION_DAYS="30")
    yield system
    system.embedded.shutdown()


def _retain(system, service: str, now) -> int:
    runtime = system.embedded.runtimes[service]
    job = next(job for job in runtime.service.periodic if job.name == "retention")
    return job.func(runtime, now)


def _cutoffs(system) -> dict:
    cutoffs = {}
    for service in SERVICES:
        with system.embedded.runtimes[service].session() as session:
            cutoffs[service] = retention_cutoff(session)
    return cutoffs


def test_personal_data_is_kept_until_the_retention_period_after_the_programme_ends_then_erased(system):
    run_journey(system)
    _retain(system, "registration", utcnow())  # announces the programme's end
    system.quiet()
    cutoffs = _cutoffs(system)
    assert len(set(cutoffs.values())) == 1 and None not in cutoffs.values(), cutoffs
    cutoff = cutoffs["registration"]
    assert cutoff - timedelta(days=30) < utcnow()  # the exchange (with no reflection session) ended

    for service in SERVICES:
        _retain(system, service, cutoff - timedelta(minutes=1))
    assert NAME in system.rows("registration") and EMAIL in system.rows("notifications")
    assert REFLECTION_TEXT in system.rows("learning") and NAME in system.rows("expenses")

    for service in SERVICES:
        assert _retain(system, service, cutoff + timedelta(minutes=1)) > 0, service
    for service in SERVICES:
        assert _retain(system, service, cutoff + timedelta(minutes=2)) == 0, f"{service}: retention is idempotent"
    for service in SERVICES:
        rows = system.rows(service)
        for needle in (NAME, EMAIL, ACCESS_NEEDS, REFLECTION_TEXT):
            assert needle not in rows, f"{service} still holds {needle!r}"


def test_the_programme_end_moves_with_the_last_reflection_session(system):
    from services.registration.privacy import announce_programme_end

    start_at = utcnow() + timedelta(days=40)
    system.call("POST", "/registration/api/themes", 201, json={"code": "T1", "title": "A theme"})
    system.call("POST", "/registration/api/exchanges", 201, json={
        "title": "An illustrative exchange", "theme": "T1", "host": {"name": "Example Health Board"},
        "location": {"site": "Example Hub", "town": "Aberystwyth"}, "starts_at": start_at.isoformat(),
        "ends_at": (start_at + timedelta(hours=3)).isoformat(), "capacity": 5,
        "booking_closes_at": (start_at - timedelta(days=10)).isoformat(),
        "reflection": {"starts_at": (start_at + timedelta(days=14)).isoformat(), "url": "https://example.org/r"}})
    runtime = system.embedded.runtimes["registration"]
    with runtime.session() as session, session.begin():
        announce_programme_end(session, utcnow())
        assert announce_programme_end(session, utcnow()) == 0  # unchanged: said once
    system.quiet()
    cutoffs = _cutoffs(system)
    expected = (start_at + timedelta(days=14 + 30)).replace(microsecond=0)
    assert {c.replace(microsecond=0) for c in cutoffs.values()} == {expected}


def test_retention_deletes_every_file_of_the_embedded_mail_sink(system):
    run_journey(system)
    wait_until(lambda: system.mail_files(EMAIL), message="the confirmation's .eml file")
    _retain(system, "registration", utcnow())
    system.quiet()
    cutoff = _cutoffs(system)["notifications"]
    _retain(system, "notifications", cutoff - timedelta(minutes=1))
    assert system.mail_files(EMAIL)
    assert _retain(system, "notifications", cutoff + timedelta(minutes=1)) > 0
    assert system.mail_files() == []
    assert _retain(system, "notifications", cutoff + timedelta(minutes=2)) == 0
