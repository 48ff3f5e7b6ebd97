"""The programme team's exchanges: the numbers (also hosts' own), adding, editing, closing and
reopening an exchange. Its hosts are ticked from the staff accounts with the host role; saving
changes those accounts' scopes (operations/accounts.py `set_exchange_hosts`).

A new exchange may be saved as a draft (the form's "Save as draft"): it goes to its preview, the
exchange's public page as people will see it, whose Publish button publishes it (the preview is
the check page). Editing a draft keeps it a draft unless "Save and publish" is pressed."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field, unindexed
from shared.web import db

from .. import operations
from ..models import Exchange
from ..operations import accounts
from ..operations.catalogue import exchange_details, exchange_problems, host_accounts
from ..schemas import ExchangeInput
from .blueprint import blueprint
from .catalogue import exchange_page_context
from .staff import page, signed_in

LONDON = ZoneInfo("Europe/London")
#: what a type=date and a type=time input hold
LOCAL_FORMAT = {"date": "%Y-%m-%d", "time": "%H:%M"}
DATETIME_FIELDS = ("starts_at", "ends_at", "booking_closes_at", "orientation_starts_at", "reflection_starts_at",
                   "reserved_until")
REQUIRED_MOMENTS = ("starts_at", "ends_at", "booking_closes_at")
#: the Welsh versions of the form's texts, each beside its English field
WELSH_FIELDS = ("title_cy", "site_cy", "time_commitment_cy", "description_cy", "learning_outcomes_cy")
#: the form's fields from top to bottom
FORM_ORDER = ("title", "title_cy", "theme", "host_name", "host_accounts", "site", "site_cy", "town", "starts_at",
              "ends_at", "capacity", "booking_closes_at", "time_commitment", "time_commitment_cy", "description",
              "description_cy", "learning_outcomes", "learning_outcomes_cy", "orientation_starts_at",
              "orientation_url", "reflection_starts_at", "reflection_url", "reserved_experience",
              "reserved_occupation", "reserved_until")


@blueprint.get("/staff/")
def home():
    staff = signed_in()
    rows = operations.exchange_numbers(db())
    if "admin" not in staff.roles:
        hosted = set(staff.scopes("host"))
        rows = [row for row in rows if row["id"] in hosted]
    published = next((row for row in rows if str(row["id"]) == request.args.get("published") and not row["draft"]),
                     None)
    return page("registration/staff/home.html", rows=rows, is_admin="admin" in staff.roles, published=published)


#: the form's two buttons for an exchange not yet published (`name="action"`)
SAVE_AS_DRAFT, PUBLISH = "draft", "publish"


@blueprint.route("/staff/exchanges/new", methods=["GET", "POST"])
def new_exchange():
    """A new exchange: published at once, or with "Save as draft" kept from the public until its
    preview's Publish button (a form sent without either button publishes, as it always did)."""
    staff = signed_in("admin")
    if request.method == "GET":
        return _exchange_form(_("Add an exchange"), {"capacity": "12"}, {}, unpublished=True)
    as_draft = request.form.get("action") == SAVE_AS_DRAFT
    return _save_exchange(_("Add an exchange"),
                          lambda data: operations.create_exchange(db(), {**data, "draft": as_draft}, staff=staff),
                          unpublished=True)


@blueprint.route("/staff/exchanges/<int:exchange_id>/edit", methods=["GET", "POST"])
def edit_exchange(exchange_id):
    """Change an exchange; a draft stays one unless "Save and publish" is pressed."""
    staff = signed_in("admin")
    exchange = db().get(Exchange, exchange_id) or abort(404)
    unpublished = exchange.draft
    if request.method == "GET":
        return _exchange_form(_("Edit an exchange"), _form_from(exchange), {}, exchange_id=exchange_id,
                              unpublished=unpublished)

    def save(data):
        changed = operations.update_exchange(db(), exchange_id, data, staff=staff)
        if unpublished and request.form.get("action") == PUBLISH:
            return operations.publish_draft(db(), exchange_id, staff=staff)
        return changed

    return _save_exchange(_("Edit an exchange"), save, exchange_id, unpublished=unpublished)


@blueprint.get("/staff/exchanges/<int:exchange_id>/preview")
def preview_exchange(exchange_id):
    """The exchange's public page exactly as people see it (or will, once a draft is published),
    under a banner; for a draft the programme team's Publish button, which is the check before
    publishing. Its hosts may look too."""
    staff = signed_in(("host", exchange_id), "admin")
    exchange = db().get(Exchange, exchange_id) or abort(404)
    context = exchange_page_context(exchange_details(db(), exchange))
    return render_template("registration/exchange.html", preview=True, may_publish=staff.has("admin"), **context)


@blueprint.post("/staff/exchanges/<int:exchange_id>/publish")
def publish_exchange(exchange_id):
    """The preview's Publish button: the draft goes into the catalogue, open for booking."""
    staff = signed_in("admin")
    db().get(Exchange, exchange_id) or abort(404)
    operations.publish_draft(db(), exchange_id, staff=staff)
    return redirect(url_for(".home", published=exchange_id))


@blueprint.route("/staff/exchanges/<int:exchange_id>/close", methods=["GET", "POST"])
def close_exchange(exchange_id):
    return _closing(exchange_id, True)


@blueprint.route("/staff/exchanges/<int:exchange_id>/reopen", methods=["GET", "POST"])
def reopen_exchange(exchange_id):
    return _closing(exchange_id, False)


def _closing(exchange_id: int, closed: bool):
    """Closing or reopening bookings asks first (GET), then does it (POST)."""
    staff = signed_in("admin")
    exchange = db().get(Exchange, exchange_id) or abort(404)
    if request.method == "GET":
        return page("registration/staff/exchange_close.html", exchange=exchange, closing=closed)
    operations.set_closed(db(), exchange_id, closed, staff=staff)
    return redirect(url_for(".home"))


# --- the exchange form ---------------------------------------------------------------------------


def _save_exchange(heading: str, save, exchange_id: int | None = None, unpublished: bool = False):
    """Check the form (every field, and how its dates and numbers sit together, so that every
    problem shows at once), then save and commit: a draft to its preview, anything else home."""
    form, errors, fields = _read_exchange_form()
    try:
        data = ExchangeInput().load(fields)
    except ValidationError as invalid:
        errors = {**errors_by_field(invalid, _exchange_field), **errors}
    problems = exchange_problems(_comparable(fields))
    if problems:
        for name, message in errors_by_field(ApiError(422, "", fields=problems), _exchange_field).items():
            errors.setdefault(name, message)
    if not errors:
        try:
            saved = save(data)
            if saved.draft:
                return redirect(url_for(".preview_exchange", exchange_id=saved.id))
            return redirect(url_for(".home"))
        except ApiError as refused:
            errors = errors_by_field(refused, _exchange_field, "capacity" if refused.status == 409 else "_schema")
    return _exchange_form(heading, form, _in_form_order(errors), 422, exchange_id, unpublished)


def _comparable(fields: dict) -> dict:
    """The form's readable values as `exchange_problems` compares them."""
    def moment(value):
        return datetime.fromisoformat(value) if value else None

    reserved = fields["reserved_places"]
    return {"starts_at": moment(fields["starts_at"]), "ends_at": moment(fields["ends_at"]),
            "booking_closes_at": moment(fields["booking_closes_at"]),
            "orientation_starts_at": moment((fields["orientation"] or {}).get("starts_at")),
            "reflection_starts_at": moment((fields["reflection"] or {}).get("starts_at")),
            "capacity": fields["capacity"], "reserved_experience": reserved["experience"],
            "reserved_occupation": reserved["occupation"], "reserved_until": moment(reserved["until"])}


def _in_form_order(errors: dict) -> dict:
    """The error summary lists problems in the order the fields appear."""
    order = {name: n for n, name in enumerate(FORM_ORDER)}
    return dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order))))


def _exchange_form(heading: str, form: dict, errors: dict, status: int = 200, exchange_id: int | None = None,
                   unpublished: bool = False):
    """The form; `unpublished` (a new exchange, or a draft) offers "Save and publish" and "Save as draft"."""
    options = []
    for theme in operations.theme_tree(db()):
        options.append((theme["code"], f"{theme['code']} {theme['title']}"))
        options += [(s["code"], f"— {s['code']} {s['title']}") for s in theme["subthemes"]]
    # whoever was ticked stays offered when the form comes back with errors
    hosts = accounts.host_choices(db(), exchange_id)
    offered = {email for email, _label in hosts}
    hosts += [(email, email) for email in form.get("host_accounts", []) if email not in offered]
    return page("registration/staff/exchange_form.html", status, heading=heading, form=form, errors=errors,
                theme_options=options, host_options=hosts, unpublished=unpublished, exchange_id=exchange_id)


def _read_exchange_form() -> tuple[dict, dict, dict]:
    """The form as typed (to show again), errors found before the schema, and the schema's input."""
    form = {name: request.form.get(name, "") for name in (
        "title", "theme", "host_name", "site", "town", "capacity", "time_commitment",
        "description", "learning_outcomes", *WELSH_FIELDS, "orientation_url", "reflection_url", "reserved_experience",
        "reserved_occupation", *DATETIME_FIELDS,
        *(f"{name}_{part}" for name in DATETIME_FIELDS for part in ("date", "time")))}
    # ticked accounts (one email each); a value of several lines is read as one email a line
    form["host_accounts"] = [email for value in request.form.getlist("host_accounts") for email in _lines(value)]
    errors: dict[str, str] = {}
    moments = {name: _local_moment(form, name, errors) for name in DATETIME_FIELDS}
    numbers = {name: _whole_number(form[name], name, errors) for name in
               ("capacity", "reserved_experience", "reserved_occupation")}
    theme_code, subtheme_code = _theme_choice(form["theme"])
    fields = {
        "title": form["title"], "title_cy": form["title_cy"], "theme": theme_code, "subtheme": subtheme_code,
        "host": {"name": form["host_name"], "accounts": form["host_accounts"]},
        "location": {"site": form["site"], "site_cy": form["site_cy"], "town": form["town"]},
        "starts_at": moments["starts_at"], "ends_at": moments["ends_at"], "capacity": numbers["capacity"],
        "booking_closes_at": moments["booking_closes_at"], "description": form["description"],
        "learning_outcomes": _lines(form["learning_outcomes"]), "time_commitment": form["time_commitment"],
        "description_cy": form["description_cy"], "learning_outcomes_cy": _lines(form["learning_outcomes_cy"]),
        "time_commitment_cy": form["time_commitment_cy"],
        "orientation": _session(moments["orientation_starts_at"], form["orientation_url"]),
        "reflection": _session(moments["reflection_starts_at"], form["reflection_url"]),
        "reserved_places": {"experience": numbers["reserved_experience"] or 0,
                            "occupation": numbers["reserved_occupation"] or 0, "until": moments["reserved_until"]},
    }
    return form, errors, fields


def _local_moment(form: dict, name: str, errors: dict) -> str | None:
    """A date input and a time input, read as UK time, as ISO 8601 with its offset. A single
    `<name>` (YYYY-MM-DDTHH:MM) is read as well, as the form sent it before."""
    date, time = form.get(f"{name}_date", "").strip(), form.get(f"{name}_time", "").strip()
    if not (date or time) and form.get(name, "").strip():
        date, _sep, time = form[name].strip().partition("T")
    if not (date or time):
        if name in REQUIRED_MOMENTS:
            errors[name] = _("Enter a date and a time.")
        return None
    try:
        return datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=LONDON).isoformat()
    except ValueError:
        errors[name] = _("Enter a real date and a time.")
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
               "location.site": "site", "location.site_cy": "site_cy", "location.town": "town", "reserved_places": "reserved_experience",
               "reserved_places.experience": "reserved_experience", "reserved_places.occupation": "reserved_occupation",
               "reserved_places.until": "reserved_until"}


def _exchange_field(path: str) -> str:
    path = unindexed(path)
    return _FORM_FIELD.get(path, path.replace(".", "_"))


def _form_from(exchange: Exchange) -> dict:
    def local(moment, part):
        return moment.astimezone(LONDON).strftime(LOCAL_FORMAT[part]) if moment else ""

    return {
        "title": exchange.title, "theme": exchange.subtheme_code or exchange.theme_code,
        "host_name": exchange.host_name,
        "host_accounts": host_accounts(db(), [exchange.id]).get(exchange.id, []),
        "site": exchange.site, "town": exchange.town, "capacity": str(exchange.capacity),
        "time_commitment": exchange.time_commitment, "description": exchange.description,
        "learning_outcomes": exchange.learning_outcomes,
        **{name: getattr(exchange, name) or "" for name in WELSH_FIELDS},
        "orientation_url": exchange.orientation_url or "",
        "reflection_url": exchange.reflection_url or "",
        "reserved_experience": str(exchange.reserved_experience or ""),
        "reserved_occupation": str(exchange.reserved_occupation or ""),
        **{f"{name}_{part}": local(getattr(exchange, name), part) for name in DATETIME_FIELDS
           for part in ("date", "time")},
    }
