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

import functools
import inspect
import os
import re
from dataclasses import dataclass, field

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, Flask, current_app, jsonify

from . import contract_check
from .api import PUBLIC, STAFF, STAFF_OR_TOKEN, TOKEN, endpoint_of, response
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
    body_required: bool = True  #: False: the JSON body may be left out


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


def undocumented(app: Flask, prefix: str, operations: dict[str, Operation] | None = None) -> list[str]:
    """`METHOD /path` of each API route that declares nothing (shared/api.py) and has no table entry."""
    operations = operations if operations is not None else app.extensions["kx_openapi_sources"][prefix][1] or {}
    return [f"{method} {path}" for method, path, rule in api_rules(app, prefix)
            if endpoint_of(app.view_functions[rule.endpoint]) is None and f"{method} {path}" not in operations]


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


def _from_declarations(view) -> Operation | None:
    """The view's `shared.api` declarations as an Operation (None: it declared nothing)."""
    declared = endpoint_of(view)
    if declared is None:
        return None
    summary, _, description = (inspect.getdoc(view) or "").partition("\n")
    body = query = form = None
    for schema, location, files in declared.arguments:
        if location == "json":
            body = schema
        elif location == "query":
            query = schema
        else:
            form = {"schema": schema, "files": files}
    responses = dict(declared.responses) or {declared.status: None}
    main = responses.pop(declared.status)
    return Operation(summary.strip(), access=declared.access, body=body, query=query, form=form,
                     response=main, status=declared.status, also=responses, errors=declared.errors,
                     description=description.strip(), parameters=declared.parameters,
                     body_required=not declared.optional_body)


def _form_content(spec: APISpec, form) -> dict:
    """multipart/form-data: a JSON Schema as written, or a schema's fields plus binary file fields."""
    if isinstance(form, dict) and "schema" in form:
        schema = spec.plugins[0].converter.schema2jsonschema(form["schema"])
        for name in form["files"]:
            schema["properties"][name] = {"type": "string", "format": "binary"}
            schema.setdefault("required", []).append(name)
        form = schema
    return {"multipart/form-data": {"schema": form}}


def build(app: Flask, prefix: str, title: str, operations: dict[str, Operation] | None = None) -> dict:
    """The OpenAPI document of the routes under `prefix`: each view's declarations (shared/api.py),
    or, for a view that declares nothing, its entry in `operations`."""
    operations = operations or {}
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
    for method, path, rule in api_rules(app, prefix):
        op = _from_declarations(app.view_functions[rule.endpoint]) or operations.get(f"{method} {path}")
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
            operation["requestBody"] = {"required": op.body_required, "content": _content(op.body)}
        if op.form is not None:
            operation["requestBody"] = {"required": True, "content": _form_content(spec, op.form)}
        operation["security"] = {PUBLIC: [], TOKEN: [], STAFF: [{"bearer": []}],
                                 STAFF_OR_TOKEN: [{"bearer": []}, {}]}[op.access]
        operation["responses"][str(op.status)] = {"description": "Done.", "content": _content(op.response)}
        if method == "GET" and isinstance(op.response, str):
            operation["responses"]["304"] = {"description": "Not modified since the ETag sent in If-None-Match."}
        for status, schema in op.also.items():
            operation["responses"][str(status)] = {"description": "Also.", "content": _content(schema)}
        for status in sorted(_error_statuses(op, path_parameters, method)):
            operation["responses"][str(status)] = {"$ref": f"#/components/responses/E{status}"}
        paths.setdefault(openapi_path, {})[method.lower()] = operation
    for openapi_path, methods in paths.items():
        spec.path(path=openapi_path, operations=methods)
    return spec.to_dict()


def publish(blueprint: Blueprint, title: str, operations: dict[str, Operation] | None = None) -> None:
    """Serve the document at `GET <blueprint prefix>/openapi.json`, built once per app. With
    `KX_CHECK_API_RESPONSES=1` (the tests), every answer of these routes is checked against it."""
    prefix = blueprint.url_prefix

    def register(state) -> None:
        state.app.extensions.setdefault("kx_openapi_sources", {})[prefix] = (title, operations)
        if os.environ.get("KX_CHECK_API_RESPONSES") == "1":
            contract_check.install(state.app, prefix, functools.partial(document, state.app, prefix))

    blueprint.record_once(register)

    @blueprint.get("/openapi.json")
    @csrf.exempt
    @response()
    def openapi_document():
        """This document (OpenAPI 3)."""
        return jsonify(document(current_app, prefix))


def document(app: Flask, prefix: str) -> dict:
    """The OpenAPI document of the API under `prefix`, built once per app."""
    cache = app.extensions.setdefault("kx_openapi", {})
    if prefix not in cache:
        title, operations = app.extensions["kx_openapi_sources"][prefix]
        cache[prefix] = build(app, prefix, title, operations)
    return cache[prefix]
