"""Emails to staff go in the language on their account, across the services (issue 16): the
account's language travels from registration in `registration.staff.updated`; finance are told of a
claim and asked to approve its payment run in theirs, a host of a returned summary in theirs, and a
host who changes their language on their account page gets the next email in the new one. On the
embedded setup and on RabbitMQ with PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import re

import pytest
from cryptography.fernet import Fernet

from services.registration.operations import accounts, create_staff
from shared.testing import delete_bus_namespace, distributed_env, embedded_env, wait_until
from tests.support.journey import run_journey, start_with_env

PASSWORD = "a host's long passphrase"
HOST = "gwesteiwr@example.org"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(params=["embedded", pytest.param("rabbitmq", marks=pytest.mark.integration)])
def system(request, tmp_path):
    keys = {"KX_EXPENSES_KEYS": Fernet.generate_key().decode()}
    if request.param == "embedded":
        env = embedded_env(tmp_path / "var", **keys)
    else:
        env = distributed_env(request.getfixturevalue("rabbitmq"), request.getfixturevalue("pg_schemas"),
                              tmp_path / "var", **keys)
    system = start_with_env(env)
    yield system
    system.embedded.shutdown()
    delete_bus_namespace(system.settings)


def _subjects(system, to: str) -> list[str]:
    found = []
    for path in system.mail_files(to):
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if parsed["To"] == to:
            found.append(str(parsed["Subject"]))
    return found


def _post_form(client, url: str, data: dict, page: str):
    token = CSRF.search(client.get(page).get_data(as_text=True)).group(1)
    return client.post(url, data={**data, "csrf_token": token})


def _return_summary(system, exchange_id: int, insight: str) -> None:
    host, lead = system.token(21, host=[exchange_id]), system.token(22, theme_lead=["T1"])
    system.call("PUT", f"/learning/api/exchanges/{exchange_id}/summary", headers=host, json={
        "key_insights": [insight], "outcomes_met": ["An outcome"], "contributors": ["Example Health Board"]})
    system.call("POST", f"/learning/api/exchanges/{exchange_id}/summary/submit", headers=host)
    system.call("POST", f"/learning/api/exchanges/{exchange_id}/summary/return", headers=lead,
                json={"comment": "Say more about the waiting room."})


def test_staff_emails_follow_the_language_on_each_account(system):
    registration = system.embedded.runtimes["registration"]
    with registration.session() as session, session.begin():
        finance = create_staff(session, "cyllid@example.org", "Cyllid Example", PASSWORD, {"finance": []})
        accounts.change_account(session, finance, {"language": "cy"})
    system.quiet()
    journey = run_journey(system)  # its claim is sent to finance, approved, put in a run and paid

    # finance, in Welsh, were told of the claim, and asked to approve its payment run, in Welsh alone
    claim = journey["claim_id"]
    wait_until(lambda: len(_subjects(system, "cyllid@example.org")) == 2, message="finance's notices")
    assert sorted(_subjects(system, "cyllid@example.org")) == [
        f"Mae hawliad treuliau yn aros am benderfyniad: hawliad {claim}",
        "Mae rhediad talu yn aros i chi ei gymeradwyo: rhediad 1"]

    # a host with Welsh on their account hears in Welsh that their summary came back
    exchange_id = journey["exchange_id"]
    with registration.session() as session, session.begin():
        host = create_staff(session, HOST, "Gwen Gwesteiwr", PASSWORD, {})
        accounts.change_account(session, host, {"language": "cy"})
    system.call("PATCH", f"/registration/api/exchanges/{exchange_id}",
                json={"host": {"name": "Example Health Board", "accounts": [HOST]}})
    system.quiet()
    _return_summary(system, exchange_id, "Open doors work, and a quiet room helps")
    wait_until(lambda: _subjects(system, HOST), message="the host's email")
    assert _subjects(system, HOST) == ["Mae eich crynodeb wedi'i ddychwelyd gyda sylw: An illustrative exchange"]

    # ...chooses English on their account page, and the next one is in English
    client = system.client
    assert _post_form(client, "/registration/login", {"email": HOST, "password": PASSWORD},
                      page="/registration/login").status_code == 302
    chosen = _post_form(client, "/registration/account/language", {"language": "en"}, page="/registration/account")
    assert chosen.status_code == 302
    system.quiet()
    _return_summary(system, exchange_id, "Open doors work, and a quiet room helps people wait")
    wait_until(lambda: len(_subjects(system, HOST)) == 2, message="the host's second email")
    assert sorted(_subjects(system, HOST)) == [
        "Mae eich crynodeb wedi'i ddychwelyd gyda sylw: An illustrative exchange",
        "Your summary has been returned with a comment: An illustrative exchange"]
