"""Sign-out that works: a token revoked by sign-out, deactivation or a change of roles is refused by
every service's API within 5 seconds, each learning it from `registration.staff.updated`
(shared/staff_projection.py): on the embedded setup, and once as separate processes on RabbitMQ and
PostgreSQL."""

from __future__ import annotations

import json
import time

import pytest

from services.registration import SERVICE as REGISTRATION
from services.registration.operations import create_staff
from shared.config import load
from shared.service import Runtime
from shared.testing import delete_bus_namespace, distributed_env, free_port, wait_until
from tests.support.journey import start
from tests.support.processes import Processes, http, wait_for_http

PASSWORD = "correct horse battery staple"
SERVICES = ("registration", "notifications", "learning", "expenses")
#: a refusal must reach every service within this many seconds (the contract)
WITHIN = 5.0


@pytest.fixture
def system(tmp_path):
    system = start(tmp_path)
    with system.embedded.runtimes["registration"].session() as session, session.begin():
        for email, roles in (("first@example.org", {"admin": []}), ("second@example.org", {"admin": []}),
                             ("money@example.org", {"admin": [], "finance": []})):
            create_staff(session, email, email.split("@")[0].title(), PASSWORD, roles)
    yield system
    system.embedded.shutdown()


def sign_in(system, email: str) -> dict:
    answer = system.call("POST", "/registration/api/auth/token", headers={},
                         json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def statuses(system, headers: dict) -> dict[str, int]:
    """What each service answers this token on its admin-only audit log."""
    return {service: system.client.get(f"/{service}/api/audit", headers=headers).status_code for service in SERVICES}


def refused_everywhere_within_seconds(system, headers: dict) -> None:
    started = time.monotonic()
    wait_until(lambda: set(statuses(system, headers).values()) == {401}, timeout=WITHIN,
               message="every service to refuse the revoked token")
    assert time.monotonic() - started <= WITHIN


def test_signing_out_revokes_the_token_in_every_service(system):
    first = sign_in(system, "first@example.org")
    assert set(statuses(system, first).values()) == {200}
    system.quiet()  # every service has heard of the account: the refusal below is not for a stranger

    assert system.call("POST", "/registration/api/auth/sign-out", headers=first).get_json() == {"status": "signed_out"}

    assert system.client.get("/registration/api/audit", headers=first).status_code == 401  # registration at once
    refused_everywhere_within_seconds(system, first)
    again = sign_in(system, "first@example.org")  # a new sign-in is a new version: welcome everywhere
    wait_until(lambda: set(statuses(system, again).values()) == {200}, timeout=WITHIN, message="a fresh token")


def test_deactivation_revokes_the_accounts_tokens_in_every_service(system):
    first, second = sign_in(system, "first@example.org"), sign_in(system, "second@example.org")
    second_id = next(s["id"] for s in system.call("GET", "/registration/api/staff", headers=first).get_json()
                     if s["email"] == "second@example.org")

    system.call("PATCH", f"/registration/api/staff/{second_id}", headers=first, json={"active": False})

    refused_everywhere_within_seconds(system, second)
    assert set(statuses(system, first).values()) == {200}  # only that account's tokens


def test_a_change_of_roles_revokes_the_accounts_earlier_tokens_in_every_service(system):
    first, money = sign_in(system, "first@example.org"), sign_in(system, "money@example.org")
    money_id = next(s["id"] for s in system.call("GET", "/registration/api/staff", headers=first).get_json()
                    if s["email"] == "money@example.org")

    system.call("PATCH", f"/registration/api/staff/{money_id}", headers=first, json={"roles": ["admin"]})

    refused_everywhere_within_seconds(system, money)
    assert set(statuses(system, sign_in(system, "money@example.org")).values()) == {200}


@pytest.mark.integration
def test_signing_out_revokes_the_token_in_every_service_on_rabbitmq_and_postgresql(rabbitmq, pg_schemas, tmp_path):
    """The same, as docker-compose runs kx: `kx web` and `kx worker` of each service, separate processes."""
    env = distributed_env(rabbitmq, pg_schemas, tmp_path / "var")
    settings, processes = load(env), Processes(env, tmp_path)
    try:
        migrated = processes.run("migrate")
        assert migrated.returncode == 0, migrated.stderr
        runtime = Runtime(REGISTRATION, settings)
        with runtime.session() as session, session.begin():
            create_staff(session, "first@example.org", "First", PASSWORD, {"admin": []})
        runtime.dispose()
        bases = {}
        for service in SERVICES:
            port = free_port()
            processes.start("web", service, "--port", str(port), "--host", "127.0.0.1", "--workers", "1")
            processes.start("worker", service)
            bases[service] = f"http://127.0.0.1:{port}/{service}"
        for base in bases.values():
            wait_for_http(f"{base}/healthz", timeout=60)
        credentials = json.dumps({"email": "first@example.org", "password": PASSWORD}).encode()
        status, body = http("POST", f"{bases['registration']}/api/auth/token", body=credentials)
        assert status == 200, body
        token = json.loads(body)["token"]

        def answers() -> set[int]:
            return {http("GET", f"{base}/api/audit", token=token)[0] for base in bases.values()}

        assert answers() == {200}
        status, body = http("POST", f"{bases['registration']}/api/auth/sign-out", token=token, body=b"{}")
        assert status == 200, body
        wait_until(lambda: answers() == {401}, timeout=WITHIN, interval=0.1,
                   message="every service to refuse the signed-out token")
    finally:
        processes.stop_all()
        delete_bus_namespace(settings)
