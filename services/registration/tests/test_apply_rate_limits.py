"""The application rate limits, counted in the database (shared/ratelimit.py): one person cannot
flood (per email, KX_APPLY_RATE_LIMIT a minute) while one building can still apply (per address,
KX_APPLY_RATE_PER_ADDRESS a minute), and every web process shares the count."""

from __future__ import annotations

from services.registration import create_app

from .conftest import add_exchange
from .test_api_applications import application, stored

URL = "/registration/api/applications"


def _app(runtime, **config):
    return create_app({"KX_RUNTIME": runtime, "TESTING": True, **config})


def _from(address: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_two_web_processes_on_one_database_share_the_per_address_count(runtime, catalogue):
    first, second = (_app(runtime, KX_APPLY_RATE_PER_ADDRESS="3").test_client() for _ in range(2))
    answers = [(first if n % 2 else second).post(URL, json=application([catalogue], n)).status_code
               for n in range(1, 7)]
    assert answers == [201, 201, 201, 429, 429, 429]
    assert stored(runtime)[0] == 3


def test_many_colleagues_behind_one_network_address_may_all_apply_by_default(runtime, catalogue):
    client = _app(runtime).test_client()  # the defaults: an NHS building's allowance
    answers = {client.post(URL, json=application([catalogue], n), **_from("10.1.2.3")).status_code
               for n in range(1, 41)}
    assert answers == {201}
    assert stored(runtime)[0] == 40


def test_the_per_address_allowance_is_configurable_and_answers_429_with_retry_after(runtime, catalogue):
    client = _app(runtime, KX_APPLY_RATE_PER_ADDRESS="3").test_client()
    answers = [client.post(URL, json=application([catalogue], n)) for n in range(1, 5)]
    assert [a.status_code for a in answers] == [201, 201, 201, 429]
    refused = answers[-1]
    assert 1 <= int(refused.headers["Retry-After"]) <= 120
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert client.post(URL, json=application([catalogue], 9), **_from("10.0.0.2")).status_code == 201


def test_one_email_from_many_addresses_is_limited(runtime, catalogue):
    exchanges = [catalogue] + [add_exchange(runtime, title=f"Exchange {n}") for n in range(6)]
    client = _app(runtime).test_client()
    answers = [client.post(URL, json=application([exchange], 1), **_from(f"10.9.0.{n}"))
               for n, exchange in enumerate(exchanges)]
    assert [a.status_code for a in answers] == [201] * 5 + [429, 429]
    refused = answers[-1]
    assert refused.get_json()["error"]["code"] == "rate_limited" and "Retry-After" in refused.headers
    assert stored(runtime)[:2] == (1, 5), "five bookings, all on the person's one application"


def test_the_email_is_case_folded_for_its_count(runtime, catalogue):
    exchanges = [catalogue] + [add_exchange(runtime, title=f"Exchange {n}") for n in range(2)]
    client = _app(runtime, KX_APPLY_RATE_LIMIT="2").test_client()
    emails = ["Person1@Example.org", "person1@example.org", "PERSON1@EXAMPLE.ORG"]
    answers = [client.post(URL, json=application([exchange], 1, applicant__email=email), **_from(f"10.9.1.{n}"))
               .status_code for n, (exchange, email) in enumerate(zip(exchanges, emails, strict=True))]
    assert answers == [201, 201, 429]


def test_a_refused_application_does_not_count(runtime, catalogue):
    client = _app(runtime, KX_APPLY_RATE_PER_ADDRESS="2").test_client()
    assert client.post(URL, json=application([999], 1)).status_code == 422
    assert client.post(URL, json=application([999], 2)).status_code == 422
    assert [client.post(URL, json=application([catalogue], n)).status_code for n in (3, 4, 5)] == [201, 201, 429]


def test_zero_turns_the_application_limits_off(runtime, catalogue):
    client = _app(runtime, KX_APPLY_RATE_LIMIT="0", KX_APPLY_RATE_PER_ADDRESS="1").test_client()
    exchanges = [catalogue] + [add_exchange(runtime, title=f"Exchange {n}") for n in range(3)]
    assert {client.post(URL, json=application([exchange], 1)).status_code for exchange in exchanges} == {201}
