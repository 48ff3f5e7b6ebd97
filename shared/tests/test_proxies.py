"""KX_TRUSTED_PROXIES: behind the gateway the client's address comes from X-Forwarded-For, so the
per-address limit on applications counts each applicant, not the gateway; without a trusted
proxy the header is ignored, so a client cannot pick the address it is counted under."""

from __future__ import annotations

import pytest
from flask import jsonify, request

from shared.config import ConfigError, load
from shared.service import Runtime
from shared.testing import effect_service, embedded_env, migrate
from shared.web import create_service_app

GATEWAY = "172.18.0.5"


def _env(tmp_path, **overrides):
    return embedded_env(tmp_path / "var", **overrides)


def _probe_app(tmp_path, **env):
    """A bare service app with one route that says who and where the request came from."""
    service, _effect = effect_service()
    app = create_service_app(service, __name__, {"KX_SETTINGS": load(_env(tmp_path, **env)), "TESTING": True})

    @app.get("/probe/whoami")
    def whoami():
        return jsonify({"remote_addr": request.remote_addr, "scheme": request.scheme, "host": request.host})

    return app


def _forwarded(client_address: str, proto: str = "https", host: str = "kx.example.org") -> dict:
    return {"X-Forwarded-For": client_address, "X-Forwarded-Proto": proto, "X-Forwarded-Host": host}


def test_no_proxy_is_trusted_by_default(tmp_path):
    assert load(_env(tmp_path)).trusted_proxies == 0


@pytest.mark.parametrize("value", ["-1", "many", "11"])
def test_a_malformed_trusted_proxies_value_stops_start_up_naming_the_variable(tmp_path, value):
    with pytest.raises(ConfigError) as raised:
        load(_env(tmp_path, KX_TRUSTED_PROXIES=value))
    assert raised.value.variable == "KX_TRUSTED_PROXIES"


def test_with_one_trusted_proxy_the_client_address_scheme_and_host_come_from_its_headers(tmp_path):
    client = _probe_app(tmp_path, KX_TRUSTED_PROXIES="1").test_client()
    seen = client.get("/probe/whoami", headers=_forwarded("198.51.100.7"),
                      environ_base={"REMOTE_ADDR": GATEWAY}).get_json()
    assert seen == {"remote_addr": "198.51.100.7", "scheme": "https", "host": "kx.example.org"}


def test_with_one_trusted_proxy_an_address_the_client_forged_before_it_is_ignored(tmp_path):
    client = _probe_app(tmp_path, KX_TRUSTED_PROXIES="1").test_client()
    # nginx appends the address it saw to whatever the client sent: only that last one is believed
    seen = client.get("/probe/whoami", headers=_forwarded("10.9.9.9, 198.51.100.7"),
                      environ_base={"REMOTE_ADDR": GATEWAY}).get_json()
    assert seen["remote_addr"] == "198.51.100.7"


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(tmp_path):
    client = _probe_app(tmp_path).test_client()
    seen = client.get("/probe/whoami", headers=_forwarded("198.51.100.7"),
                      environ_base={"REMOTE_ADDR": GATEWAY}).get_json()
    assert seen == {"remote_addr": GATEWAY, "scheme": "http", "host": "localhost"}


# --- the limit on applications, through the registration app ------------------------------------


@pytest.fixture
def registration(tmp_path):
    """`make(**env)` → (test client of the registration app with a per-address limit of 2 a minute, exchange id)."""
    from services.registration import create_app
    from services.registration.operations import create_exchange, create_theme
    from services.registration.service import SERVICE
    from services.registration.tests.conftest import exchange_fields

    runtimes = []

    def make(**env):
        runtime = Runtime(SERVICE, load(_env(tmp_path, KX_APPLY_RATE_PER_ADDRESS="2", **env)))
        runtimes.append(runtime)
        migrate(runtime)
        with runtime.session() as session, session.begin():
            create_theme(session, "T1", "Transforming the community mental health system",
                         [{"code": "T1.1", "title": "Open access care"}])
            exchange_id = create_exchange(session, exchange_fields(capacity=50)).id
        app = create_app({"KX_RUNTIME": runtime, "TESTING": True})
        return app.test_client(), exchange_id

    yield make
    for runtime in runtimes:
        runtime.dispose()


def _apply(client, exchange_id: int, number: int, forwarded_for: str) -> int:
    body = {"applicant": {"name": f"Person {number} Example", "email": f"person{number}@example.org",
                          "organisation": "Example Trust", "role": "Nurse", "participant_type": "occupation",
                          "stakeholder_group": "health", "language": "en", "access_needs": ""},
            "exchange_ids": [exchange_id], "line_manager_permission": "yes", "will_attend_sessions": True,
            "privacy_notice_accepted": True}
    return client.post("/registration/api/applications", json=body, headers={"X-Forwarded-For": forwarded_for},
                       environ_base={"REMOTE_ADDR": GATEWAY}).status_code


def test_behind_a_trusted_gateway_each_forwarded_address_has_its_own_application_limit(registration):
    client, exchange_id = registration(KX_TRUSTED_PROXIES="1")
    first = [_apply(client, exchange_id, n, "198.51.100.7") for n in range(1, 4)]
    other = [_apply(client, exchange_id, n, "203.0.113.9") for n in range(4, 6)]
    assert first == [201, 201, 429]
    assert other == [201, 201]


def test_without_a_trusted_proxy_a_forwarded_address_does_not_escape_the_limit(registration):
    client, exchange_id = registration()
    answers = [_apply(client, exchange_id, n, f"198.51.100.{n}") for n in range(1, 4)]
    assert answers == [201, 201, 429]
