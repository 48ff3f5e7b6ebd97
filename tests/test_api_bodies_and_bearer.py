"""Two sweeps over every service's OpenAPI document, on its demo data:

- any JSON body a client can send gets a 4xx, never a 5xx: a 100,000-deep array, nesting past the
  limit inside an object, integers of thousands of digits (Python's int parsing refuses them),
  NaN, Infinity and a float that overflows to infinity;
- `/api/` takes a bearer token only: with nothing but a signed-in browser's session cookie, every
  endpoint for staff answers 401 (a page on another site could make the browser send the cookie).
"""

from __future__ import annotations

import re

import pytest

from shared.bootstrap import load_demo
from shared.registry import create_app, load_service
from shared.service import Runtime
from shared.testing import migrate_all, staff_token

SERVICES = ("registration", "notifications", "learning", "expenses")
ALL_ROLES = {"admin": [], "finance": [], "host": [1], "theme_lead": ["T1"]}

#: bodies no endpoint can take: each must be refused with a 4xx before any work is done
NASTY_BODIES = {
    "a 100,000-deep array": "[" * 100_000 + "]" * 100_000,
    "an object nested 100,000 deep": '{"a":' * 100_000 + "1" + "}" * 100_000,
    "a 30,000-deep array (within 64 KB)": "[" * 30_000 + "]" * 30_000,
    "an object nested 40 deep": '{"a":' * 40 + "1" + "}" * 40,
    "an unclosed 100,000-deep array": "[" * 100_000,
    "a huge integer": '{"capacity": ' + "9" * 5000 + "}",
    "a huge integer alone": "1" * 10_000,
    "NaN": '{"capacity": NaN, "amount_pence": NaN, "miles": NaN}',
    "Infinity": '{"capacity": Infinity, "amount_pence": -Infinity, "miles": Infinity}',
    "a float that overflows": '{"capacity": 1e400, "amount_pence": 1e400, "miles": -1e400}',
}


@pytest.fixture(scope="module", params=SERVICES)
def service_app(request, tmp_path_factory):
    from shared.config import load
    from shared.testing import embedded_env

    name = request.param
    settings = load(embedded_env(tmp_path_factory.mktemp(name) / "var"))
    migrate_all(settings, [name])
    load_demo(settings, [name])
    runtime = Runtime(load_service(name), settings)
    app = create_app(name, {"KX_RUNTIME": runtime, "KX_APPLY_RATE_LIMIT": "0", "TESTING": True,
                            "WTF_CSRF_ENABLED": False})
    document = app.test_client().get(f"/{name}/api/openapi.json").get_json()
    yield name, app, settings, document
    runtime.dispose()


def _operations(document, predicate):
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if predicate(operation):
                yield method.upper(), re.sub(r"\{[^}]+\}", "1", path)


def _takes_json(operation) -> bool:
    return "application/json" in operation.get("requestBody", {}).get("content", {})


def test_every_json_endpoint_answers_a_nasty_body_with_a_4xx(service_app):
    name, app, settings, document = service_app
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {staff_token(settings, ALL_ROLES)}"}
    answers = {}
    for method, url in _operations(document, _takes_json):
        for what, body in NASTY_BODIES.items():
            for headers in (bearer, {}):
                response = client.open(url, method=method, data=body, content_type="application/json",
                                       headers=headers)
                answers[(method, url, what, bool(headers))] = response.status_code
    assert answers, f"{name} documents no JSON body"
    assert {key: status for key, status in answers.items() if not 400 <= status < 500} == {}


def test_a_nasty_body_is_refused_with_the_one_error_body(service_app):
    name, app, settings, document = service_app
    method, url = next(_operations(document, _takes_json))
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {staff_token(settings, ALL_ROLES)}"}
    for body in (NASTY_BODIES["a 100,000-deep array"], NASTY_BODIES["NaN"], NASTY_BODIES["a huge integer"]):
        response = client.open(url, method=method, data=body, content_type="application/json", headers=bearer)
        assert 400 <= response.status_code < 500
        assert set(response.get_json()["error"]) >= {"code", "message"}


def test_with_only_the_session_cookie_every_staff_endpoint_answers_as_to_a_stranger(service_app):
    """401; or, where the endpoint looks up what its path names first, the 404 a stranger gets."""
    name, app, settings, document = service_app
    browser, stranger = app.test_client(), app.test_client()
    with browser.session_transaction() as session:
        session["staff_token"] = staff_token(settings, ALL_ROLES)
    staff_only = list(_operations(document, lambda operation: operation.get("security") == [{"bearer": []}]))
    assert staff_only
    answers = {(method, url): tuple(client.open(url, method=method, data="", content_type="text/plain").status_code
                                    for client in (browser, stranger))
               for method, url in staff_only}
    assert {key: (cookie, anonymous) for key, (cookie, anonymous) in answers.items()
            if cookie != anonymous or cookie not in (401, 404)} == {}
    assert sum(cookie == 401 for cookie, _ in answers.values()) > len(answers) / 2
