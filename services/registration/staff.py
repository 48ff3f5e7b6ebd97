"""Staff pages: sign-in and sign-out, the programme team's exchanges (numbers, create, edit,
close, reopen, themes), and hosts' participants, CSV export and attendance grid.

Server-rendered, no JavaScript. Every page checks roles with `shared.auth.authorise` (through
`signed_in`, which sends an anonymous visitor to the sign-in page); every form carries a CSRF token;
one commit per request. The signed token goes into the session cookie, so every service sees the
same sign-in.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from shared.auth import Staff, authorise, current_staff, issue_token
from shared.errors import ApiError
from shared.forms import errors_by_field, unindexed
from shared.web import commit_even_when_refused, db, runtime, vocabularies

from . import operations
from .models import Exchange, Theme
from .operations.attendance import STAGES
from .operations.catalogue import host_accounts
from .presenters import (
    ATTENDANCE_STAGES,
    BOOKING_STATUSES,
    EXCHANGE_STATUSES,
    PARTICIPANT_TYPES,
    STAKEHOLDER_GROUPS,
    participants_csv,
)
from .ratelimit import check_sign_in_rate, count_sign_in_failure
from .schemas import ExchangeInput, ThemeInput

blueprint = Blueprint("registration_staff", __name__, url_prefix="/registration")
LONDON = ZoneInfo("Europe/London")
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
DATETIME_FIELDS = ("starts_at", "ends_at", "booking_closes_at", "orientation_starts_at", "reflection_starts_at",
                   "reserved_until")


vocabularies(blueprint, EXCHANGE_STATUSES=EXCHANGE_STATUSES, BOOKING_STATUSES=BOOKING_STATUSES,
             PARTICIPANT_TYPES=PARTICIPANT_TYPES, STAKEHOLDER_GROUPS=STAKEHOLDER_GROUPS,
             ATTENDANCE_STAGES=ATTENDANCE_STAGES)


def signed_in(*grants) -> Staff:
    """The one role check, for pages: an anonymous visitor is sent to sign in and brought back."""
    try:
        return authorise(*grants)
    except ApiError as refused:
        if refused.status == 401:
            abort(redirect(url_for("registration_staff.login", next=request.full_path.rstrip("?"))))
        raise


def page(template: str, status: int = 200, **context):
    """A staff page; one with form errors says so first in its title ("Error: ...")."""
    context.setdefault("form_errors", bool(context.get("errors")))
    return render_template(template, staff=current_staff(), **context), status


# --- sign in and out -----------------------------------------------------------------------------


@blueprint.route("/login", methods=["GET", "POST"])
@commit_even_when_refused  # a failed attempt counts towards the lockout
def login():
    next_url = _safe_next(request.args.get("next"))
    if request.method == "GET":
        return page("registration/staff/login.html", form={}, errors={}, next=next_url)
    form = {"email": request.form.get("email", "").strip()}
    password = request.form.get("password", "")
    errors = {}
    if not form["email"]:
        errors["email"] = _("Enter your email address")
    if not password:
        errors["password"] = _("Enter your password")
    if errors:
        return page("registration/staff/login.html", 422, form=form, errors=errors, next=next_url)
    try:
        check_sign_in_rate()
    except ApiError as refused:
        errors["email"] = refused.message
        html, status = page("registration/staff/login.html", 429, form=form, errors=errors, next=next_url)
        return html, status, {"Retry-After": str(refused.retry_after)}
    result = operations.sign_in(db(), form["email"], password)
    if result.staff is None:
        count_sign_in_failure()
        errors["email"] = _("Enter a correct email address and password. After 5 failed attempts in a row an "
                            "account is locked for 15 minutes.")
        return page("registration/staff/login.html", 401, form=form, errors=errors, next=next_url)
    token, _expires = issue_token(runtime().settings.secret_key, result.staff)
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    session["staff_token"] = token
    return redirect(next_url or url_for(".home"))


@blueprint.post("/logout")
def logout():
    session.clear()
    return redirect(url_for(".login"))


def _safe_next(value: str | None) -> str | None:
    """Only a path on this site: never another origin (`//`, `\\`, a scheme)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")) and "\\" not in value:
        return value
    return None


# --- the programme team and hosts: exchanges and their numbers -----------------------------------


@blueprint.get("/staff/")
def home():
    staff = signed_in()
    rows = operations.exchange_numbers(db())
    if "admin" not in staff.roles:
        hosted = set(staff.scopes("host"))
        rows = [row for row in rows if row["id"] in hosted]
    return page("registration/staff/home.html", rows=rows, is_admin="admin" in staff.roles)


@blueprint.route("/staff/exchanges/new", methods=["GET", "POST"])
def new_exchange():
    signed_in("admin")
    if request.method == "GET":
        return _exchange_form(_("Add an exchange"), {"capacity": "12"}, {})
    return _save_exchange(_("Add an exchange"), lambda data: operations.create_exchange(db(), data))


@blueprint.route("/staff/exchanges/<int:exchange_id>/edit", methods=["GET", "POST"])
def edit_exchange(exchange_id):
    signed_in("admin")
    exchange = db().get(Exchange, exchange_id) or abort(404)
    if request.method == "GET":
        return _exchange_form(_("Edit an exchange"), _form_from(exchange), {})
    return _save_exchange(_("Edit an exchange"), lambda data: operations.update_exchange(db(), exchange_id, data))


@blueprint.post("/staff/exchanges/<int:exchange_id>/close")
def close_exchange(exchange_id):
    signed_in("admin")
    operations.set_closed(db(), exchange_id, True)
    return redirect(url_for(".home"))


@blueprint.post("/staff/exchanges/<int:exchange_id>/reopen")
def reopen_exchange(exchange_id):
    signed_in("admin")
    operations.set_closed(db(), exchange_id, False)
    return redirect(url_for(".home"))


@blueprint.route("/staff/themes", methods=["GET", "POST"])
def themes():
    signed_in("admin")
    form, errors = {}, {}
    if request.method == "POST":
        form = {name: request.form.get(name, "") for name in ("code", "title", "subthemes")}
        try:
            data = ThemeInput().load({"code": form["code"].strip(), "title": form["title"],
                                      "subthemes": _subtheme_lines(form["subthemes"])})
            if db().get(Theme, data["code"]) is None:
                operations.create_theme(db(), data["code"], data["title"], data["subthemes"])
            else:
                operations.update_theme(db(), data["code"], data["title"], data["subthemes"])
            return redirect(url_for(".themes"))
        except ValidationError as invalid:
            errors = errors_by_field(invalid, _theme_field)
        except ApiError as refused:
            errors = {"subthemes": refused.message}
    return page("registration/staff/themes.html", 422 if errors else 200, themes=operations.theme_tree(db()),
                form=form, errors=errors)


def _subtheme_lines(text: str) -> list[dict]:
    items = []
    for line in text.splitlines():
        code, _space, title = line.strip().partition(" ")
        if code:
            items.append({"code": code, "title": title})
    return items


def _theme_field(path: str) -> str:
    return "subthemes" if path.startswith("subthemes") else path


# --- hosts: participants and attendance ----------------------------------------------------------


@blueprint.get("/staff/exchanges/<int:exchange_id>/participants")
def participants(exchange_id):
    signed_in(("host", exchange_id))
    exchange = db().get(Exchange, exchange_id) or abort(404)
    response = render_template("registration/staff/participants.html", staff=current_staff(), exchange=exchange,
                               rows=operations.participants(db(), exchange_id))
    return response, 200, {"Cache-Control": "no-store"}


@blueprint.get("/staff/exchanges/<int:exchange_id>/participants.csv", endpoint="participants_csv")
def participants_csv_file(exchange_id):
    signed_in(("host", exchange_id))
    rows = operations.participants(db(), exchange_id)
    return Response(participants_csv(rows, words=True), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="exchange-{exchange_id}-participants.csv"',
        "Cache-Control": "no-store"})


@blueprint.route("/staff/exchanges/<int:exchange_id>/attendance", methods=["GET", "POST"])
def attendance(exchange_id):
    staff = signed_in(("host", exchange_id))
    exchange = db().get(Exchange, exchange_id) or abort(404)
    rows = operations.participants(db(), exchange_id, include_waitlist=False)
    if request.method == "POST":
        shown = set(request.form.getlist("shown"))
        ticked = set(request.form.getlist("attended")) & shown
        for participant in rows:
            for stage in STAGES:
                cell = f"{participant.booking.id}:{stage}"
                if cell not in shown:
                    continue  # added since the page was drawn: leave it alone
                # An unticked box that was never recorded stays unrecorded: saving the grid
                # before the visit must not mark everyone absent from it.
                if cell in ticked or participant.attendance[stage] is True:
                    operations.record_attendance(db(), exchange_id, participant.application.email, stage,
                                                 cell in ticked, staff_id=staff.id)
        return redirect(url_for(".attendance", exchange_id=exchange_id, saved=1))
    return page("registration/staff/attendance.html", exchange=exchange, rows=rows, stages=STAGES,
                saved=request.args.get("saved") == "1")


# --- the exchange form ---------------------------------------------------------------------------


def _save_exchange(heading: str, save):
    """Check the form (every field, so that every problem shows at once), then save and commit."""
    form, errors, fields = _read_exchange_form()
    try:
        data = ExchangeInput().load(fields)
    except ValidationError as invalid:
        errors = {**errors_by_field(invalid, _exchange_field), **errors}
    if not errors:
        try:
            save(data)
            return redirect(url_for(".home"))
        except ApiError as refused:
            errors = errors_by_field(refused, _exchange_field, "capacity" if refused.status == 409 else "_schema")
    return _exchange_form(heading, form, errors, 422)


def _exchange_form(heading: str, form: dict, errors: dict, status: int = 200):
    options = []
    for theme in operations.theme_tree(db()):
        options.append((theme["code"], f"{theme['code']} {theme['title']}"))
        options += [(s["code"], f"— {s['code']} {s['title']}") for s in theme["subthemes"]]
    return page("registration/staff/exchange_form.html", status, heading=heading, form=form, errors=errors,
                theme_options=options)


def _read_exchange_form() -> tuple[dict, dict, dict]:
    """The form as typed (to show again), errors found before the schema, and the schema's input."""
    form = {name: request.form.get(name, "") for name in (
        "title", "theme", "host_name", "host_accounts", "site", "town", "capacity", "time_commitment",
        "description", "learning_outcomes", "orientation_url", "reflection_url", "reserved_experience",
        "reserved_occupation", *DATETIME_FIELDS)}
    errors: dict[str, str] = {}
    moments = {name: _local_moment(form[name], name, errors) for name in DATETIME_FIELDS}
    numbers = {name: _whole_number(form[name], name, errors) for name in
               ("capacity", "reserved_experience", "reserved_occupation")}
    theme_code, subtheme_code = _theme_choice(form["theme"])
    fields = {
        "title": form["title"], "theme": theme_code, "subtheme": subtheme_code,
        "host": {"name": form["host_name"], "accounts": _lines(form["host_accounts"])},
        "location": {"site": form["site"], "town": form["town"]},
        "starts_at": moments["starts_at"], "ends_at": moments["ends_at"], "capacity": numbers["capacity"],
        "booking_closes_at": moments["booking_closes_at"], "description": form["description"],
        "learning_outcomes": _lines(form["learning_outcomes"]), "time_commitment": form["time_commitment"],
        "orientation": _session(moments["orientation_starts_at"], form["orientation_url"]),
        "reflection": _session(moments["reflection_starts_at"], form["reflection_url"]),
        "reserved_places": {"experience": numbers["reserved_experience"] or 0,
                            "occupation": numbers["reserved_occupation"] or 0, "until": moments["reserved_until"]},
    }
    return form, errors, fields


def _local_moment(value: str, name: str, errors: dict) -> str | None:
    """A datetime-local value, read as UK time, as ISO 8601 with its offset."""
    if not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=LONDON).isoformat()
    except ValueError:
        errors[name] = _("Enter a date and time, like 2027-03-10T10:00")
        return None


def _whole_number(value: str, name: str, errors: dict) -> int | None:
    if not value.strip():
        return None
    if not re.fullmatch(r"\d{1,5}", value.strip()):
        errors[name] = _("Enter a whole number, like 12")
        return None
    return int(value)


def _theme_choice(value: str) -> tuple[str, str | None]:
    theme = value.split(".")[0]
    return theme, (value if "." in value else None)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _session(starts_at: str | None, url: str) -> dict | None:
    return None if starts_at is None else {"starts_at": starts_at, "url": url.strip() or None}


#: where a schema's field path is shown on the form
_FORM_FIELD = {"subtheme": "theme", "host.name": "host_name", "host.accounts": "host_accounts",
               "location.site": "site", "location.town": "town", "reserved_places": "reserved_experience",
               "reserved_places.experience": "reserved_experience", "reserved_places.occupation": "reserved_occupation",
               "reserved_places.until": "reserved_until"}


def _exchange_field(path: str) -> str:
    path = unindexed(path)
    return _FORM_FIELD.get(path, path.replace(".", "_"))


def _form_from(exchange: Exchange) -> dict:
    def local(moment):
        return moment.astimezone(LONDON).strftime(LOCAL_FORMAT) if moment else ""

    return {
        "title": exchange.title, "theme": exchange.subtheme_code or exchange.theme_code,
        "host_name": exchange.host_name,
        "host_accounts": "\n".join(host_accounts(db(), [exchange.id]).get(exchange.id, [])),
        "site": exchange.site, "town": exchange.town, "capacity": str(exchange.capacity),
        "time_commitment": exchange.time_commitment, "description": exchange.description,
        "learning_outcomes": exchange.learning_outcomes, "orientation_url": exchange.orientation_url or "",
        "reflection_url": exchange.reflection_url or "",
        "reserved_experience": str(exchange.reserved_experience or ""),
        "reserved_occupation": str(exchange.reserved_occupation or ""),
        **{name: local(getattr(exchange, name)) for name in DATETIME_FIELDS},
    }
