"""The registration API (`/registration/api`), as the contract's "Registration API" names it,
plus additions written down in docs/registration-api.md. Applicants send their manage token in
the path; staff a bearer token. No CSRF (no cookie is trusted here); one commit per request."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from shared.auth import authorise, issue_token
from shared.db import utcnow
from shared.errors import ApiError
from shared.openapi import publish
from shared.times import iso
from shared.web import commit_even_when_refused, csrf, db, runtime

from . import idempotency, operations
from .models import Exchange
from .openapi import OPERATIONS as OPENAPI_OPERATIONS
from .operations.catalogue import (
    ExchangeFilter,
    exchange_data,
    host_accounts,
    waitlist_lengths,
)
from .presenters import application_json, participant_json, participants_csv
from .ratelimit import check_apply_rate, check_sign_in_rate, count_sign_in_failure
from .schemas import (
    ApplicantInput,
    ApplicationInput,
    AttendanceInput,
    ExchangeInput,
    ExchangeQuery,
    ThemeInput,
    TokenInput,
)

blueprint = Blueprint("registration_api", __name__, url_prefix="/registration/api")
csrf.exempt(blueprint)


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("The request body must be a JSON object."), code="bad_request")
    return data


def exchange_json(session: Session, exchange: Exchange, with_accounts: bool = False) -> dict:
    """The exchange as `GET /exchanges/<id>` shows it, plus kx's additions."""
    accounts = host_accounts(session, [exchange.id]).get(exchange.id, []) if with_accounts else None
    data = exchange_data(exchange, waitlist_lengths(session, [exchange.id]).get(exchange.id, 0), accounts=accounts)
    data["time_commitment"] = exchange.time_commitment
    data["reserved_places"] = {"experience": exchange.reserved_experience, "occupation": exchange.reserved_occupation,
                               "until": iso(exchange.reserved_until)}
    return data


def exchange_or_404(exchange_id: int) -> Exchange:
    exchange = db().get(Exchange, exchange_id)
    if exchange is None:
        raise ApiError(404, _("There is no exchange with that number."), code="not_found")
    return exchange


# --- catalogue -----------------------------------------------------------------------------------


@blueprint.get("/themes")
def themes():
    return jsonify(operations.theme_tree(db()))


@blueprint.post("/themes")
def create_theme():
    authorise("admin")
    data = ThemeInput().load(body())
    operations.create_theme(db(), data["code"], data["title"], data.get("subthemes"))
    return jsonify(_theme(data["code"])), 201


@blueprint.patch("/themes/<code>")
def update_theme(code):
    authorise("admin")
    data = ThemeInput(partial=True, exclude=("code",)).load(body())
    operations.update_theme(db(), code, data.get("title"), data.get("subthemes"))
    return jsonify(_theme(code))


def _theme(code: str) -> dict:
    return next(theme for theme in operations.theme_tree(db()) if theme["code"] == code)


@blueprint.get("/exchanges")
def list_exchanges():
    query = ExchangeQuery().load(request.args.to_dict())
    filters = ExchangeFilter(theme=query["theme"], date=query["date"], status=query["status"], town=query["town"])
    return jsonify(operations.list_exchanges(db(), filters))


@blueprint.get("/exchanges/<int:exchange_id>")
def get_exchange(exchange_id):
    return jsonify(exchange_json(db(), exchange_or_404(exchange_id)))


@blueprint.post("/exchanges")
def create_exchange():
    authorise("admin")
    exchange = operations.create_exchange(db(), ExchangeInput().load(body()))
    return jsonify(exchange_json(db(), exchange, with_accounts=True)), 201


@blueprint.patch("/exchanges/<int:exchange_id>")
def update_exchange(exchange_id):
    authorise("admin")
    raw = body()
    changes = _only_sent(ExchangeInput(partial=True).load(raw), raw)
    exchange = operations.update_exchange(db(), exchange_id, changes)
    return jsonify(exchange_json(db(), exchange, with_accounts=True))


def _only_sent(loaded: dict, raw: dict) -> dict:
    """Partial loading still fills defaults; a PATCH changes only what the client sent."""
    return {name: _only_sent(value, raw[name]) if isinstance(value, dict) and isinstance(raw.get(name), dict)
            else value for name, value in loaded.items() if name in raw}


@blueprint.post("/exchanges/<int:exchange_id>/close")
def close_exchange(exchange_id):
    authorise("admin")
    exchange = operations.set_closed(db(), exchange_id, True)
    return jsonify(exchange_json(db(), exchange, with_accounts=True))


@blueprint.post("/exchanges/<int:exchange_id>/reopen")
def reopen_exchange(exchange_id):
    authorise("admin")
    exchange = operations.set_closed(db(), exchange_id, False)
    return jsonify(exchange_json(db(), exchange, with_accounts=True))


@blueprint.get("/numbers")
def numbers():
    """kx addition: the programme team's numbers per exchange."""
    authorise("admin")
    return jsonify(operations.exchange_numbers(db()))


# --- applications --------------------------------------------------------------------------------

#: made once: the busiest route of the rush, and a schema holds no state between loads
APPLICATION_INPUT = ApplicationInput()
APPLICANT_FIELDS = tuple(ApplicantInput().fields)


@blueprint.post("/applications")
def apply():
    check_apply_rate()
    data = APPLICATION_INPUT.load(body())
    raw = request.get_data(cache=True)
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return jsonify(_apply(db(), data).as_json()), 201
    idempotency.check_key(key)
    answer = idempotency.answer_once(
        db(), runtime().settings.secret_key, "applications", key, raw, lambda: (201, _apply(db(), data).as_json()),
        busy_message=_("A request with this Idempotency-Key is still being handled. Try again."))
    return jsonify(answer.body), answer.status


def _apply(session: Session, data: dict):
    result = operations.apply(
        session, operations.Applicant(**{name: data["applicant"][name] for name in APPLICANT_FIELDS}),
        data["exchange_ids"], line_manager_permission=data["line_manager_permission"],
        will_attend_sessions=data["will_attend_sessions"], privacy_notice_accepted=data["privacy_notice_accepted"])
    return result


@blueprint.get("/applications/<token>")
def get_application(token):
    application = operations.application_for_token(db(), token)
    return jsonify(application_json(db(), application))


@blueprint.post("/applications/<token>/bookings/<int:exchange_id>/cancel")
def cancel(token, exchange_id):
    booking = operations.cancel_booking(db(), token, exchange_id)
    return jsonify({"status": booking.status, "exchange_id": booking.exchange_id})


# --- hosts ---------------------------------------------------------------------------------------


@blueprint.get("/exchanges/<int:exchange_id>/participants")
def participants(exchange_id):
    authorise(("host", exchange_id))
    rows = operations.participants(db(), exchange_id)
    if request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv":
        return Response(participants_csv(rows), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="exchange-{exchange_id}-participants.csv"',
            "Cache-Control": "no-store"})
    response = jsonify([participant_json(p) for p in rows])
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/exchanges/<int:exchange_id>/attendance")
def attendance(exchange_id):
    staff = authorise(("host", exchange_id))
    data = AttendanceInput().load(body())
    operations.record_attendance(db(), exchange_id, data["email"], data["stage"], data["attended"], staff_id=staff.id)
    return jsonify({"exchange_id": exchange_id, "email": data["email"], "stage": data["stage"],
                    "attended": data["attended"]})


# --- staff sign-in -------------------------------------------------------------------------------


@blueprint.post("/auth/token")
@commit_even_when_refused  # failed attempts count even though the answer is a refusal
def token():
    data = TokenInput().load(body())
    check_sign_in_rate()
    result = operations.sign_in(db(), data["email"], data["password"], now=utcnow())
    if result.staff is None:
        count_sign_in_failure()
        raise ApiError(401, _("Enter a correct email address and password. After 5 failed attempts in a row an "
                              "account is locked for 15 minutes."), code="unauthorised")
    signed, expires_at = issue_token(runtime().settings.secret_key, result.staff)
    return jsonify({"token": signed, "expires_at": iso(expires_at), "roles": result.staff.roles})


# --- OpenAPI document --------------------------------------------------------------------------------

publish(blueprint, "kx registration API", OPENAPI_OPERATIONS)
