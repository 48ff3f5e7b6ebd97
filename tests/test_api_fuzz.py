"""schemathesis against each service's own OpenAPI document, in process (WSGI, no network).

Per service, at least 500 generated requests: bodies, queries and paths that fit the document
(positive) and that do not (negative), sent as the programme team (an admin bearer token) and
anonymously, on a database holding the service's demo data. Every answer must be below 500 and,
when its status is documented, match the document (`response_schema_conformance`). Hypothesis
runs derandomized, without deadlines, so a run is reproducible and its time is bounded by the
number of examples, not the clock.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from shared.bootstrap import load_demo
from shared.registry import create_app, load_service
from shared.service import Runtime
from shared.testing import migrate_all, staff_token

SERVICES = ("registration", "notifications", "learning", "expenses")
REQUESTS_PER_SERVICE = 500
#: examples per (caller, generation mode); hypothesis may stop early once a small space is exhausted
ROUNDS = {("staff", GenerationMode.POSITIVE): 170, ("staff", GenerationMode.NEGATIVE): 90,
          ("anonymous", GenerationMode.POSITIVE): 170, ("anonymous", GenerationMode.NEGATIVE): 90}
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def service_app(request, embedded_settings):
    name = request.param
    migrate_all(embedded_settings, [name])
    load_demo(embedded_settings, [name])
    runtime = Runtime(load_service(name), embedded_settings)
    # No rate limit on applications here: the fuzzer is one client sending hundreds of them.
    app = create_app(name, {"KX_RUNTIME": runtime, "KX_APPLY_RATE_LIMIT": "0"})
    yield name, app
    runtime.dispose()


def fuzz(schema, headers: dict, mode: GenerationMode, examples: int) -> int:
    """Send `examples` generated requests and check each answer; returns how many were sent."""
    sent = 0

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=schema.as_strategy(generation_mode=mode))
    def run(case):
        nonlocal sent
        sent += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()
    return sent


@pytest.mark.parametrize("service_app", SERVICES, indirect=True)
def test_no_generated_request_gets_a_server_error_or_an_answer_the_document_does_not_describe(
        service_app, embedded_settings):
    name, app = service_app
    schema = schemathesis.openapi.from_wsgi(f"/{name}/api/openapi.json", app)
    # staff: the programme team and finance (no role implies another), so every endpoint is reached
    callers = {"staff": {"Authorization": f"Bearer {staff_token(embedded_settings, {'admin': [], 'finance': []})}"},
               "anonymous": {}}
    sent = sum(fuzz(schema, callers[caller], mode, examples) for (caller, mode), examples in ROUNDS.items())
    print(f"{name}: {sent} generated requests, 0 failures")
    assert sent >= REQUESTS_PER_SERVICE


@pytest.mark.parametrize("service_app", SERVICES, indirect=True)
def test_every_api_route_is_in_the_public_openapi_document_with_the_error_format_and_bearer_security(service_app):
    from shared.openapi import undocumented

    name, app = service_app
    assert undocumented(app, f"/{name}/api") == []
    response = app.test_client().get(f"/{name}/api/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert "error" in document["components"]["schemas"]["Error"]["properties"]
    staff_only = [op for methods in document["paths"].values() for op in methods.values()
                  if op["security"] == [{"bearer": []}]]
    assert staff_only and all(op["responses"]["401"] == {"$ref": "#/components/responses/E401"} for op in staff_only)
