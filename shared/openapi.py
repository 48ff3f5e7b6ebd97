"""Each service's OpenAPI 3 document, built one way: from its routes and marshmallow schemas.

A service lists its API operations in `services/<name>/openapi.py` as a table
`{"METHOD /path": Operation(...)}` (paths as Flask writes them, relative to the API's prefix) and
calls `publish(blueprint, title, OPERATIONS)` in its `api.py`, which serves the document at
`GET /<prefix>/api/openapi.json` (public). The document is generated from the app's url_map, so
it names exactly the routes that exist; request bodies and query parameters come from the same
marshmallow schemas the views load (apispec's marshmallow plugin), responses from the table, and
every error response is the one error format of `shared/errors.py`.

`undocumented(app, blueprint_prefix, operations)` names the routes that have no entry, so a test
can fail when an endpoint is added without its description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify

from .web import csrf

OPENAPI_VERSION = "3.0.3"

# --- JSON Schema shorthands for responses --------------------------------------------------------

STR = {"type": "string"}
INT = {"type": "integer"}
NUM = {"type": "number"}
BOOL = {"type": "boolean"}
DATETIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
ANY_OBJECT = {"type": "object"}


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def obj(required: tuple[str, ...] = (), **properties) -> dict:
    """An object with these properties (`from_` is written `from`); others may be added later."""
    schema = {"type": "object", "properties": {name.rstrip("_"): value for name, value in properties.items()}}
    if required:
        schema["required"] = list(required)
    return schema


ERROR = obj(
    required=("error",),
    error=obj(required=("code", "message"), code=STR, message=STR,
              fields={"type": "object", "additionalProperties": array(STR)}),
)

_ERROR_TEXT = {
    400: "Malformed request (the body is not a JSON object).",
    401: "No or bad credentials.",
    403: "Signed in, but not allowed.",
    404: "Unknown, or not yours (never says which).",
    409: "State conflict.",
    413: "Too large.",
    415: "Unsupported media type.",
    422: "Invalid: `fields` says what, by field path.",
    429: "Rate limited.",
}

PUBLIC, STAFF, TOKEN, STAFF_OR_TOKEN = "public", "staff", "token", "staff_or_token"


@dataclass(frozen=True)
class Operation:
    """One API operation: who may call it, what it reads and what it answers.

    `access`: PUBLIC (anyone), STAFF (bearer token), TOKEN (an applicant's manage token in the
    path, query or body) or STAFF_OR_TOKEN. `body` and `query` are marshmallow schemas (class or
    instance) or JSON Schemas; `response` is the JSON Schema of the success body, or a media type
    string for files (`"application/pdf"`). `errors` adds statuses beyond those the shape implies.
    """

    summary: str
    access: str = PUBLIC
    body: object = None
    query: object = None
    form: dict | None = None
    response: object = None
    status: int = 200
    also: dict = field(default_factory=dict)  #: other success statuses: {202: schema}
    errors: tuple[int, ...] = ()
    description: str = ""
    parameters: tuple[dict, ...] = ()  #: header parameters, as OpenAPI writes them


def _openapi_path(rule: str) -> tuple[str, list[dict]]:
    """`/exchanges/<int:exchange_id>` → `/exchanges/{exchange_id}` and its path parameters."""
    parameters = []

    def replace(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        schema = {"type": "integer", "minimum": 0} if converter and converter.startswith("int") else {"type": "string"}
        parameters.append({"in": "path", "name": name, "required": True, "schema": schema})
        return "{" + name + "}"

    return re.sub(r"<(?:([a-z]+(?:\([^)]*\))?):)?([a-z_]+)>", replace, rule), parameters


def api_rules(app: Flask, prefix: str):
    """`(method, relative Flask path, rule)` of every route under the API prefix."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(prefix + "/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.rule.removeprefix(prefix), rule


def undocumented(app: Flask, prefix: str, operations: dict[str, Operation]) -> list[str]:
    return [f"{method} {path}" for method, path, _rule in api_rules(app, prefix)
            if f"{method} {path}" not in operations]


def _content(schema) -> dict:
    if isinstance(schema, str):
        return {schema: {"schema": {"type": "string", "format": "binary"}}}
    return {"application/json": {"schema": schema if schema is not None else ANY_OBJECT}}


def _error_statuses(op: Operation, path_parameters: list[dict], method: str) -> set[int]:
    statuses = set(op.errors)
    if op.body is not None or op.form is not None:
        statuses |= {400, 413, 422}
    elif method in ("POST", "PUT", "PATCH"):
        statuses.add(413)
    if op.query is not None:
        statuses.add(422)
    if path_parameters or op.access in (TOKEN, STAFF_OR_TOKEN):
        statuses.add(404)
    if op.access in (STAFF, STAFF_OR_TOKEN):
        statuses |= {401, 403}
    if op.access == TOKEN and op.body is not None:
        statuses.add(422)
    return statuses


def _schema_name(schema) -> str:
    """`ExchangeInput`, or `PartialExchangeInput` for the PATCH form of the same schema."""
    cls = schema if isinstance(schema, type) else type(schema)
    partial = not isinstance(schema, type) and schema.partial
    return f"{'Partial' if partial else ''}{cls.__name__}"


def build(app: Flask, prefix: str, title: str, operations: dict[str, Operation]) -> dict:
    """The OpenAPI document of the routes under `prefix` that the table describes."""
    spec = APISpec(title=title, version="1", openapi_version=OPENAPI_VERSION, plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
                   info={"description": "Errors are always `{\"error\": {\"code\", \"message\", \"fields\"}}`. "
                                        "Staff send `Authorization: Bearer <token>` from `POST "
                                        "/registration/api/auth/token`; applicants their manage token."},
                   servers=[{"url": "/"}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", ERROR)
    for status, text in _ERROR_TEXT.items():
        spec.components.response(f"E{status}", {"description": text, "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    paths: dict[str, dict] = {}
    for method, path, _rule in api_rules(app, prefix):
        op = operations.get(f"{method} {path}")
        if op is None:
            continue
        openapi_path, path_parameters = _openapi_path(prefix + path)
        operation: dict = {"summary": op.summary, "operationId": f"{method.lower()}{openapi_path}",
                           "parameters": [*path_parameters, *op.parameters], "responses": {}}
        if op.description:
            operation["description"] = op.description
        if op.query is not None:
            if isinstance(op.query, dict):
                operation["parameters"] += [{"in": "query", "name": name, "schema": schema}
                                            for name, schema in op.query.items()]
            else:
                operation["parameters"].append({"in": "query", "schema": op.query})
        if op.body is not None:
            operation["requestBody"] = {"required": True, "content": _content(op.body)}
        if op.form is not None:
            operation["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": op.form}}}
        operation["security"] = {PUBLIC: [], TOKEN: [], STAFF: [{"bearer": []}],
                                 STAFF_OR_TOKEN: [{"bearer": []}, {}]}[op.access]
        operation["responses"][str(op.status)] = {"description": "Done.", "content": _content(op.response)}
        for status, schema in op.also.items():
            operation["responses"][str(status)] = {"description": "Also.", "content": _content(schema)}
        for status in sorted(_error_statuses(op, path_parameters, method)):
            operation["responses"][str(status)] = {"$ref": f"#/components/responses/E{status}"}
        paths.setdefault(openapi_path, {})[method.lower()] = operation
    for openapi_path, methods in paths.items():
        spec.path(path=openapi_path, operations=methods)
    return spec.to_dict()


#: what every service serves besides its own table: this document and the bus ping (shared/diagnostics.py)
SHARED_OPERATIONS = {
    "GET /openapi.json": Operation("This document (OpenAPI 3).", response=ANY_OBJECT),
    "POST /diagnostics/ping": Operation("Emit `system.ping` through the outbox (operators).", access=STAFF,
                                        status=202, response=obj(required=("event_id",), event_id=STR)),
    "GET /diagnostics/pings/<event_id>": Operation(
        "200 once this service has handled that ping.", access=STAFF,
        response=obj(required=("event_id", "service", "handled"), event_id=STR, service=STR, handled=BOOL)),
}


def publish(blueprint: Blueprint, title: str, operations: dict[str, Operation]) -> None:
    """Serve the document at `GET <blueprint prefix>/openapi.json`, built once per app."""
    prefix = blueprint.url_prefix
    for key, operation in SHARED_OPERATIONS.items():
        operations.setdefault(key, operation)

    @blueprint.get("/openapi.json")
    @csrf.exempt
    def openapi_document():
        cache = current_app.extensions.setdefault("kx_openapi", {})
        if prefix not in cache:
            cache[prefix] = build(current_app, prefix, title, operations)
        return jsonify(cache[prefix])
