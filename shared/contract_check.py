"""Every JSON answer an API gives while the tests run, checked against its service's own OpenAPI
document, so the document is exact by construction and stays so.

With `KX_CHECK_API_RESPONSES=1` (the root conftest.py sets it), each app checks every answer of a
route under `<prefix>/api/`: its status must be one the document lists for that operation, and a
JSON body must match the schema given for that status. A mismatch is recorded in `VIOLATIONS`
(the root conftest fails the test that caused it) and logged, never raised into the answer.
"""

from __future__ import annotations

import logging
import re
import threading

import jsonschema_rs
from flask import Flask, current_app, request

log = logging.getLogger(__name__)

#: what failed, one line each; read and cleared by the test run
VIOLATIONS: list[str] = []
#: (service prefix, METHOD, openapi path, status) of every answer checked
CHECKED: set[tuple[str, str, str, int]] = set()
_lock = threading.Lock()


def install(app: Flask, api_prefix: str, document) -> None:
    """Check the answers of `app`'s routes under `api_prefix`; `document()` gives its document."""
    prefix = api_prefix.removesuffix("/api")
    api_prefix = f"{api_prefix}/"
    validators: dict[tuple[str, str, int], object] = {}

    @app.after_request
    def check_answer(response):
        rule = request.url_rule
        if rule is None or not rule.rule.startswith(api_prefix):
            return response
        try:
            problem = _problem(document(), validators, rule.rule, request.method, response)
        except Exception as error:  # noqa: BLE001 - a check must never change an answer
            problem = f"could not be checked ({type(error).__name__}: {error})"
        path = _openapi_path(rule.rule)
        with _lock:
            CHECKED.add((prefix, request.method, path, response.status_code))
            if problem:
                VIOLATIONS.append(f"{request.method} {path} -> {response.status_code}: {problem}")
        if problem:
            current_app.logger.warning("answer not as documented: %s %s -> %s: %s", request.method, path,
                                       response.status_code, problem)
        return response


def _openapi_path(rule: str) -> str:
    """`/exchanges/<int:exchange_id>` -> `/exchanges/{exchange_id}`, as the document writes paths."""
    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", rule)


def _problem(document: dict, validators: dict, rule: str, method: str, response) -> str | None:
    path = _openapi_path(rule)
    operation = document["paths"].get(path, {}).get(method.lower())
    if operation is None:  # a route a test added; tests/test_api_fuzz.py finds undocumented ones
        return None
    documented = operation["responses"].get(str(response.status_code))
    if documented is None:
        return f"status not documented (documented: {', '.join(sorted(operation['responses']))})"
    if response.direct_passthrough or not response.is_json:
        return None
    key = (path, method, response.status_code)
    if key not in validators:
        validators[key] = _validator(document, documented)
    validator = validators[key]
    if validator is None:
        return None
    errors = [f"{'/'.join(map(str, error.instance_path)) or '(body)'}: {error.message}"
              for error in validator.iter_errors(response.get_json())]
    return "; ".join(errors[:5]) or None


def _validator(document: dict, documented: dict):
    if "$ref" in documented:  # a shared response, `#/components/responses/E404`
        documented = document["components"]["responses"][documented["$ref"].rsplit("/", 1)[1]]
    schema = documented.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    root = {"allOf": [_json_schema(schema)],
            "components": {"schemas": _json_schema(document.get("components", {}).get("schemas", {}))}}
    return jsonschema_rs.Draft4Validator(root)


def _json_schema(node):
    """OpenAPI 3.0's `nullable: true` as JSON Schema writes it."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted
