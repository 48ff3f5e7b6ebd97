"""Subject access and erasure across the four services (docs/privacy.md): the programme team asks
registration, every service answers over the bus, and registration gathers one file; after an
erasure no row anywhere names the person, except anonymised finance audit rows."""

from __future__ import annotations

import json

import pytest
from cryptography.fernet import Fernet

from shared.config import SERVICES
from shared.testing import delete_bus_namespace, distributed_env, wait_until
from tests.support.journey import (
    ACCESS_NEEDS,
    ACCOUNT,
    EMAIL,
    NAME,
    REFLECTION_TEXT,
    SORT_CODE,
    request_privacy,
    run_journey,
    start,
    start_with_env,
)

PERSONAL = (NAME, EMAIL, ACCESS_NEEDS, ACCOUNT, SORT_CODE, REFLECTION_TEXT, "Llandysul")


@pytest.fixture
def system(tmp_path):
    system = start(tmp_path)
    yield system
    system.embedded.shutdown()


def _check_access_then_erasure(system) -> None:
    ids = run_journey(system)

    access = request_privacy(system, "access")
    assert set(access["services"]) == set(SERVICES)
    export = system.call("GET", f"/registration/api/privacy/requests/{access['id']}/export.json")
    assert "attachment" in export.headers["Content-Disposition"]
    document = json.loads(export.data)
    assert document["request"]["due_at"] == access["due_at"]
    parts = document["services"]
    assert parts["registration"]["applications"][0]["access_needs"] == ACCESS_NEEDS
    assert parts["notifications"]["bookings"][0]["email"] == EMAIL
    assert parts["learning"]["reflections"][0]["text"] == REFLECTION_TEXT
    claim = parts["expenses"]["claims"][0]
    assert claim["id"] == ids["claim_id"] and claim["status"] == "paid"
    assert claim["bank_account"].endswith(ACCOUNT[-4:]) and ACCOUNT not in export.get_data(as_text=True)

    erasure = request_privacy(system, "erasure")
    assert erasure["services"]["expenses"]["erased"]["claimant"] == 1
    system.quiet()
    for service in SERVICES:
        rows = system.rows(service)
        for needle in PERSONAL:
            assert needle not in rows, f"{service} still holds {needle!r}"
    # the finance audit rows stay, anonymised: the paid claim and its history
    finance = system.call("GET", f"/expenses/api/claims/{ids['claim_id']}/history",
                          headers=system.token(11, finance=[])).json
    assert [step["action"] for step in finance][-1] == "paid"
    # the old manage link no longer opens anything
    system.call("GET", f"/registration/api/applications/{ids['manage_token']}", 404, headers={})
    # the earlier access file went with the erasure
    system.call("GET", f"/registration/api/privacy/requests/{access['id']}/export.json", 409)


def test_access_gathers_every_service_and_erasure_leaves_no_personal_row_embedded(system):
    _check_access_then_erasure(system)


def test_erasure_deletes_the_embedded_mail_sinks_files_of_messages_to_the_person(system):
    run_journey(system)
    wait_until(lambda: system.mail_files(EMAIL), message="the confirmation's .eml file")
    system.quiet()
    request_privacy(system, "erasure")
    system.quiet()
    assert system.mail_files(EMAIL) == []


@pytest.mark.integration
def test_access_and_erasure_work_on_rabbitmq_and_postgresql(rabbitmq, pg_schemas, tmp_path):
    env = distributed_env(rabbitmq, pg_schemas, tmp_path / "var", KX_EXPENSES_KEYS=Fernet.generate_key().decode())
    system = start_with_env(env)
    try:
        _check_access_then_erasure(system)
    finally:
        system.embedded.shutdown()
        delete_bus_namespace(system.settings)


def test_a_request_is_due_one_calendar_month_after_it_was_received():
    from datetime import UTC, datetime

    from shared.privacy import one_month_after

    assert one_month_after(datetime(2025, 1, 31, 12, tzinfo=UTC)).date().isoformat() == "2025-02-28"
    assert one_month_after(datetime(2024, 1, 31, 12, tzinfo=UTC)).date().isoformat() == "2024-02-29"
    assert one_month_after(datetime(2025, 12, 3, 9, tzinfo=UTC)).date().isoformat() == "2026-01-03"
    assert one_month_after(datetime(2025, 3, 3, 9, tzinfo=UTC)).date().isoformat() == "2025-04-03"
