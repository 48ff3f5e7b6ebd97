"""Declarative input and output for every service's JSON API, as flask-smorest does it.

A view says once what it reads, what it answers and who may call it; the request is loaded, the
answer dumped and the OpenAPI document (shared/openapi.py) written from the same declarations, so
the document cannot drift from what the view does:

    @blueprint.put("/exchanges/<int:exchange_id>/summary")
    @api.access(STAFF, errors=(409,))
    @api.arguments(SummaryInput)
    @api.response(SummaryOutput)
    def put_summary(data, exchange_id):
        \"\"\"Save a draft: a new version (host of it, admin).\"\"\"
        ...
        return summary

- `arguments(schema, location="json"|"query"|"form")` loads the body (which must be a JSON
  object: 400 otherwise), the query string or the form fields with the schema and passes the
  result to the view as a positional argument, the topmost decorator's first. A marshmallow
  ValidationError becomes the one 422 body (shared/errors.py).
  `required=False` lets a JSON body be left out (loaded as `{}`), for a body of optional fields.
- `response(schema, status=200)` dumps what the view returns with the schema (an output schema
  lists its fields, so nothing leaks by accident). A view may return `(value, status)` to answer
  with a status declared by `alt_response(status, schema)`, or a finished `Response` (a file, a
  redirect), which passes through. `response(content_type="application/pdf")` documents a file.
- `access(PUBLIC|STAFF|TOKEN|STAFF_OR_TOKEN, errors=(...), parameters=(...))` documents who may
  call it and the error statuses beyond those its shape implies.
- `checked_first(check)` runs `check(**path values)` before any input is read: the caller's
  right to act on the thing the path names (401, 403, 404) is told before what is wrong with their
  body (422), and a stranger learns nothing from a body's errors. The check raises the refusal
  and may return the view's keyword arguments in place of the path values (the rows it found).
  `authorised_first(*grants)` is the same for a plain `authorise(...)`.
The docstring's first line is the operation's summary; the rest its description.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Response, jsonify, request
from marshmallow import Schema, fields

from .auth import authorise
from .errors import ApiError
from .i18n import _
from .json_body import read_json
from .times import iso

PUBLIC, STAFF, TOKEN, STAFF_OR_TOKEN = "public", "staff", "token", "staff_or_token"
LOCATIONS = ("json", "query", "form")


@dataclass
class Endpoint:
    """What an API view declares; read by shared/openapi.py to write the document."""

    access: str = PUBLIC
    errors: tuple[int, ...] = ()
    parameters: tuple[dict, ...] = ()  #: header parameters, as OpenAPI writes them
    #: (schema instance, location, file field names) in the order the view receives them
    arguments: list[tuple[Schema, str, tuple[str, ...]]] = field(default_factory=list)
    optional_body: bool = False  #: the JSON body may be left out
    status: int = 200
    #: status -> output schema instance, media type string (a file), or None (no declared body)
    responses: dict[int, object] = field(default_factory=dict)


def endpoint_of(view) -> Endpoint | None:
    return getattr(view, "kx_endpoint", None)


def _declare(view) -> Endpoint:
    declared = endpoint_of(view)
    if declared is None:
        declared = Endpoint()
        view.kx_endpoint = declared
    return declared


def _instance(schema) -> Schema:
    return schema() if isinstance(schema, type) else schema


def access(kind: str, *, errors: tuple[int, ...] = (), parameters: tuple[dict, ...] = ()):
    def decorate(view):
        declared = _declare(view)
        declared.access, declared.errors, declared.parameters = kind, tuple(errors), tuple(parameters)
        return view

    return decorate


def checked_first(check: Callable[..., object]):
    """Call `check(**path values)` before the decorators below it read any input. It raises the
    refusal; a dict it returns replaces the path values as the view's keyword arguments (the rows
    it found), anything else keeps them."""

    def decorate(view):
        @functools.wraps(view)
        def check_then_call(*args, **kwargs):
            replaced = check(**kwargs)
            return view(*args, **(replaced if isinstance(replaced, dict) else kwargs))

        return check_then_call

    return decorate


def authorised_first(*grants: Callable[..., object]):
    """`checked_first` for a plain role check: `authorise(*(grant(**path values) for each grant))`
    (shared/auth.py), e.g. `authorised_first(lambda exchange_id, **_: ("host", exchange_id), admin)`.
    The view may call `authorise` again for the member of staff: the token is read once per request."""
    return checked_first(lambda **path: authorise(*(grant(**path) for grant in grants)))


def json_body() -> dict:
    """The request's JSON body, which must be an object (shared/json_body.py reads it safely)."""
    data = read_json(request.get_data(cache=True)) if request.is_json and request.get_data(cache=True) else None
    if not isinstance(data, dict):
        raise ApiError(400, _("The request body must be a JSON object."), code="bad_request")
    return data


def _read(location: str, required: bool = True) -> dict:
    if location == "json":
        return json_body() if required or request.get_data() else {}
    if location == "query":
        return request.args.to_dict()
    return request.form.to_dict()


def arguments(schema, location: str = "json", *, files: tuple[str, ...] = (), required: bool = True):
    """Load `location` with `schema` and pass the result to the view. `files` names the form's file
    fields, which the view reads from `request.files` itself (documented as binary). `required=False`:
    a JSON body left out is loaded as `{}`."""
    if location not in LOCATIONS:
        raise ValueError(f"unknown location {location!r}: one of {LOCATIONS}")
    loader = _instance(schema)  # made once: a schema holds no state between loads

    def decorate(view):
        declared = _declare(view)
        declared.arguments.insert(0, (loader, location, tuple(files)))
        declared.optional_body |= location == "json" and not required

        @functools.wraps(view)
        def load_then_call(*args, **kwargs):
            return view(*args, loader.load(_read(location, required)), **kwargs)

        return load_then_call

    return decorate


def response(schema=None, status: int = 200, *, content_type: str | None = None):
    """Dump what the view returns with `schema` (or pass a file's `Response` through)."""
    dumper = _instance(schema) if schema is not None else None

    def decorate(view):
        declared = _declare(view)
        declared.status = status
        declared.responses[status] = content_type or dumper

        @functools.wraps(view)
        def call_then_dump(*args, **kwargs):
            return _answer(declared, view(*args, **kwargs))

        return call_then_dump

    return decorate


def alt_response(status: int, schema=None, *, content_type: str | None = None):
    """Another success the view may answer with, `return value, status`."""

    def decorate(view):
        _declare(view).responses[status] = content_type or (_instance(schema) if schema is not None else None)
        return view

    return decorate


def _answer(declared: Endpoint, result) -> Response:
    if isinstance(result, Response):
        return result
    status = declared.status
    if isinstance(result, tuple):
        result, status = result
    dumper = declared.responses.get(status)
    if not isinstance(dumper, Schema):
        raise TypeError(f"the view answered {status} with a value, but declared no schema for it")
    response = jsonify(dumper.dump(result))
    response.status_code = status
    return response


class DateTime(fields.DateTime):
    """An output time, written by the one `shared.times.iso` (UTC, with its offset)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class Output(Schema):
    """An API answer: only the fields it declares are written."""
