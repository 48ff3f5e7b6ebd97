"""One error format for every service.

JSON: `{"error": {"code", "message", "fields"}}`, `fields` present for validation failures (422).
HTML pages get the same facts on an error page. No input a client can send gives a 5xx: anything
unexpected is logged (by type, never with request data) and answered with a plain 500 page.
"""

from __future__ import annotations

import logging
import traceback
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, make_response, redirect, render_template, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from .i18n import N_, _
from .redirects import local_path

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


#: marshmallow's own messages a client can meet; `flatten_fields` shows them in the reader's language
MARSHMALLOW_MESSAGES = (
    N_("Missing data for required field."), N_("Field may not be null."), N_("Invalid value."),
    N_("Not a valid string."), N_("Not a valid integer."), N_("Not a valid number."), N_("Not a valid boolean."),
    N_("Not a valid datetime."), N_("Not a valid date."), N_("Not a valid time."), N_("Not a valid list."),
    N_("Not a valid mapping type."), N_("Invalid input type."), N_("Unknown field."),
    N_("Not a valid email address."), N_("Not a valid URL."), N_("Not a valid UUID."), N_("Number too large."),
    N_("Special numeric values (nan or infinity) are not permitted."),
)


class ApiError(Exception):
    """Raise from a view or an operation to answer with this status and code."""

    loggable = True

    def __init__(self, status: int, message: str, code: str | None = None, fields: dict | None = None,
                 retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or _CODES.get(status, "error")
        self.message = message
        self.fields = fields
        self.retry_after = retry_after  # seconds, sent as Retry-After (429, 503)


class SignInRequired(ApiError):
    """No valid staff credentials (`shared.auth.authorise`): a 401 from the API, and on a page a
    redirect to sign in and back (`sign_in_first`). Other 401s (a wrong password) stay 401s."""

    def __init__(self, message: str):
        super().__init__(401, message, code="unauthorised")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields is not None:
        body["fields"] = fields
    return {"error": body}


def flatten_fields(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as `{"applicant.email": ["..."]}`, in the reader's language."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                flat.update(flatten_fields(value, path))
            else:
                flat.setdefault(path, []).extend(_translated(value))
    else:
        flat[prefix or "_schema"] = _translated(messages)
    return flat


def _translated(messages) -> list[str]:
    # marshmallow's defaults arrive in English; the services' own messages are already translated
    # (looking those up again finds nothing and keeps them as they are).
    return [_(str(message)) for message in (messages if isinstance(messages, list) else [messages])]


def wants_json() -> bool:
    if "/api/" in request.path or request.path.endswith("/healthz"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def respond(status: int, code: str, message: str, fields: dict | None = None) -> Response:
    if wants_json():
        return make_response(jsonify(error_body(code, message, fields)), status)
    try:
        page = render_template("kx/error.html", status=status, code=code, message=message, fields=fields)
    except Exception:  # noqa: BLE001 - an error page must never fail: fall back to plain text
        log.error("error page could not be rendered for status %d", status)
        return make_response(message, status, {"Content-Type": "text/plain; charset=utf-8"})
    return make_response(page, status)


#: the one sign-in page, in registration; every service's staff pages send a signed-out person there
SIGN_IN = "/registration/login"


def sign_in_first() -> Response:
    """A page that needs a member of staff, asked for by someone signed out: to sign in, and back
    here after (a GET; a form sent after the session ended goes to the staff home instead, as
    its address may not be a page)."""
    back = local_path(request.full_path.rstrip("?")) if request.method in ("GET", "HEAD") else None
    return redirect(f"{SIGN_IN}?{urlencode({'next': back})}" if back else SIGN_IN)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        if isinstance(error, SignInRequired) and not wants_json():
            return sign_in_first()
        response = respond(error.status, error.code, error.message, error.fields)
        if error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(ValidationError)
    def _validation_error(error: ValidationError):
        return respond(422, "invalid", _("Some of the information given is not valid."), flatten_fields(error.messages))

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        status = error.code or 500
        message = {
            400: _("The request could not be read. Check that the body is valid JSON."),
            404: _("Not found."),
            405: _("This address does not accept that kind of request."),
            413: _("The request is too large."),
            429: _("Too many requests. Wait a minute and try again."),
        }.get(status, error.description or error.name)
        response = respond(status, _CODES.get(status, "error"), message)
        if status == 405 and error.valid_methods:
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError):
        if not (error.connection_invalidated or isinstance(error, OperationalError)):
            return _unexpected(error)
        # The database went away mid-request (restart, failover, a dropped connection): the
        # transaction rolled back, so the client can safely try again in a moment.
        log.warning("database unavailable (%s) on %s %s", type(error.orig).__name__, request.method,
                    request.url_rule)
        response = respond(503, "unavailable", _("The service is briefly unavailable. Nothing was saved; "
                                                 "please try again in a moment."))
        response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # The frames, not the message: an error's message can quote the data that caused it.
        log.error("unexpected %s on %s %s\n%s", type(error).__name__, request.method, request.url_rule,
                  "".join(traceback.format_tb(error.__traceback__)))
        return respond(500, "internal_error", _("Something went wrong on our side. Nothing was saved; please try again."))
