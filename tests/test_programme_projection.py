"""Every service keeps the programmes registration announces (shared/programme_projection.py), and
one programme's end never moves the deployment's retention."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.events import PROGRAMME_PUBLISHED, PROGRAMME_UPDATED
from shared.outbox import emit
from shared.privacy import retention_cutoff
from shared.programme_projection import programme, programmes
from shared.testing import wait_until
from shared.times import iso
from tests.support.journey import start

CONSUMERS = ("notifications", "learning", "expenses")
PROGRAMME_2025 = {"code": "wmhle-2025", "title": "Leadership Exchange 2025", "title_cy": "Cyfnewid Arweinyddiaeth 2025",
                  "status": "closed", "booking_opens_at": "2025-05-01T09:00:00+01:00",
                  "booking_closes_at": "2025-06-30T17:00:00+01:00", "ends_at": "2025-09-30T17:00:00+01:00",
                  "target_people": 150}


@pytest.fixture
def system(tmp_path):
    system = start(tmp_path, KX_RETENTION_DAYS="0")
    yield system
    system.embedded.shutdown()


def _emit(system, event_type: str, data: dict) -> None:
    with system.embedded.runtimes["registration"].session() as session, session.begin():
        emit(session, event_type, data)


def _known(system, service: str, code: str):
    with system.embedded.runtimes[service].session() as session:
        row = programme(session, code)
        return None if row is None else {"title": row.title, "title_cy": row.title_cy, "status": row.status,
                                         "ends_at": row.ends_at, "target_people": row.target_people}


def test_every_service_learns_a_published_programme_and_its_updates(system):
    _emit(system, PROGRAMME_PUBLISHED, PROGRAMME_2025)
    _emit(system, PROGRAMME_UPDATED, {**PROGRAMME_2025, "status": "running", "target_people": 200})
    system.quiet()
    for service in CONSUMERS:
        assert _known(system, service, "wmhle-2025") == {
            "title": "Leadership Exchange 2025", "title_cy": "Cyfnewid Arweinyddiaeth 2025", "status": "running",
            "ends_at": datetime(2025, 9, 30, 16, tzinfo=UTC), "target_people": 200}


def test_programmes_are_listed_newest_end_first_with_the_one_not_yet_ending_on_top(system):
    _emit(system, PROGRAMME_PUBLISHED, PROGRAMME_2025)
    _emit(system, PROGRAMME_PUBLISHED, {**PROGRAMME_2025, "code": "wmhle-2024", "ends_at": "2024-09-30T17:00:00+01:00"})
    _emit(system, PROGRAMME_PUBLISHED, {**PROGRAMME_2025, "code": "wmhle-2026", "status": "open", "ends_at": None})
    system.quiet()
    with system.embedded.runtimes["expenses"].session() as session:
        assert [row.code for row in programmes(session)] == ["wmhle-2026", "wmhle-2025", "wmhle-2024"]


def test_one_programmes_end_leaves_the_deployments_retention_as_it_was(system):
    system.quiet()
    _emit(system, PROGRAMME_PUBLISHED, {**PROGRAMME_2025, "ends_at": iso(datetime(2000, 1, 1, tzinfo=UTC))})
    system.quiet()
    wait_until(lambda: all(_known(system, service, "wmhle-2025") for service in CONSUMERS))
    for service in CONSUMERS:
        with system.embedded.runtimes[service].session() as session:
            assert retention_cutoff(session) is None, service


def test_a_programme_whose_code_changed_takes_the_services_records_with_it(system):
    _emit(system, PROGRAMME_PUBLISHED, {**PROGRAMME_2025, "code": "default"})
    system.quiet()
    _emit(system, PROGRAMME_UPDATED, {**PROGRAMME_2025, "renamed_from": "default"})
    system.quiet()
    for service in CONSUMERS:
        assert _known(system, service, "default") is None, service
        assert _known(system, service, "wmhle-2025")["title"] == "Leadership Exchange 2025", service
