"""The audit log's endpoint and admin page, the same in every service (shared/audit.py keeps the log).

A service adds them to its blueprints in two lines, `api/audit.py` and `views/audit.py`:

    audit_web.add_endpoint(blueprint)                                   # GET /<prefix>/api/audit
    audit_web.add_page(blueprint, "learning/_layout.html")              # GET /<prefix>/audit

Both read the same filters (`actor`: a staff id or part of an email; `action`: a code of
`shared.audit.ACTIONS`; `since`/`until`: a date or an ISO 8601 moment; `page`, `per_page`), newest
first; the API tells the whole selection's size in `X-Total-Count`, as expenses' queue does.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import after_this_request, render_template, request
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from . import api, audit
from .api import STAFF, DateTime, Output
from .auth import authorise, current_staff
from .forms import errors_by_field
from .i18n import _
from .web import db


class AuditQuery(Schema):
    """`GET /<prefix>/api/audit`'s filters and paging."""

    class Meta:
        unknown = EXCLUDE

    actor = fields.Str(metadata={"description": "A staff id, or part of a staff member's email."})
    action = fields.Str(metadata={"description": "An action code, e.g. `exchange.capacity`."})
    since = fields.Str(metadata={"description": "A date or an ISO 8601 moment: entries at or after it."})
    until = fields.Str(metadata={"description": "A date (included) or an ISO 8601 moment (excluded)."})
    page = fields.Int(validate=validate.Range(1, 100000, error=_l("Must be a page number from 1.")))
    per_page = fields.Int(validate=validate.Range(1, 200, error=_l("Must be between 1 and 200.")))

    @validates_schema
    def _known(self, data, **_kwargs):
        errors = {}
        if data.get("action") and data["action"] not in audit.ACTIONS:
            errors["action"] = [_("Must be one of the action codes.")]
        for name in ("since", "until"):
            if data.get(name):
                try:
                    audit.boundary(data[name])
                except ValueError:
                    errors[name] = [_("Must be a date (2025-06-30) or a time with its offset.")]
        if errors:
            raise ValidationError(errors)


class ActorOutput(Output):
    id = fields.Int(required=True, allow_none=True)
    email = fields.Str(required=True, allow_none=True)


class SubjectOutput(Output):
    kind = fields.Str(required=True)
    id = fields.Str(required=True)


class AuditEntryOutput(Output):
    """One change a member of staff made: only the fields that changed, as they were and became."""

    at = DateTime(required=True)
    actor = fields.Nested(ActorOutput, required=True)
    action = fields.Str(required=True)
    subject = fields.Nested(SubjectOutput, required=True)
    before = fields.Dict(required=True, allow_none=True)
    after = fields.Dict(required=True, allow_none=True)


def filter_of(query: dict) -> audit.Filter:
    return audit.Filter(
        actor=(query.get("actor") or "").strip() or None, action=query.get("action") or None,
        since=audit.boundary(query["since"]) if query.get("since") else None,
        until=audit.boundary(query["until"], end=True) if query.get("until") else None,
        page=query.get("page") or 1, per_page=query.get("per_page") or 50)


def add_endpoint(blueprint) -> None:
    """`GET /<prefix>/api/audit` (admin) on the service's API blueprint."""

    @blueprint.get("/audit")
    @api.access(STAFF)
    @api.arguments(AuditQuery, location="query")
    @api.response(AuditEntryOutput(many=True))
    def list_audit(query):
        """What members of staff changed here, newest first, paged (admin).

        The whole selection's size is in the `X-Total-Count` header."""
        authorise("admin")
        rows, total = audit.entries(db(), filter_of(query))

        @after_this_request
        def count(response):
            response.headers["X-Total-Count"] = str(total)
            return response

        return [audit.as_entry(row) for row in rows]


def add_page(blueprint, layout: str, guard: Callable[[], object] = lambda: authorise("admin"),
             rule: str = "/audit") -> None:
    """The admin page `<prefix><rule>` on the service's pages' blueprint, in its `layout`.
    `guard` is the service's admin check for pages (registration sends an anonymous visitor to sign in)."""

    @blueprint.get(rule)
    def audit_page():
        guard()
        given = {name: request.args.get(name, "").strip() for name in ("actor", "action", "since", "until", "page")}
        errors, rows, total, chosen = {}, [], 0, audit.Filter()
        try:
            chosen = filter_of(AuditQuery().load({k: v for k, v in given.items() if v}))
        except ValidationError as invalid:
            errors = errors_by_field(invalid)
        if not errors:
            rows, total = audit.entries(db(), chosen)
        pages = max(1, -(-total // chosen.per_page))
        return render_template("kx/audit.html", layout=layout, staff=current_staff(), entries=rows, total=total,
                               page=chosen.page, pages=pages, given=given, errors=errors, form_errors=bool(errors),
                               actions=audit.ACTIONS)

