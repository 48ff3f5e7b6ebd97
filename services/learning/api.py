"""The learning API (`/learning/api`), as the contract's "Learning API" names it, plus additions
written down in docs/learning.md. Bearer tokens, so no CSRF; one commit per request."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request, url_for
from flask_babel import gettext as _

from shared.auth import authorise
from shared.errors import ApiError
from shared.openapi import publish
from shared.web import csrf, db

from . import figures, operations, participants
from .access import led_themes, may_download, may_read, may_review, may_write
from .library import search
from .models import Theme
from .openapi import OPERATIONS as OPENAPI_OPERATIONS
from .packs.download import serve
from .packs.requests import PROGRAMME
from .presenters import history_json, summary_json
from .schemas import FeedbackInput, ReflectionInput, ReviewInput, SettingsInput, SummaryInput

blueprint = Blueprint("learning_api", __name__, url_prefix="/learning/api")
csrf.exempt(blueprint)


def body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("The request body must be a JSON object."), code="bad_request")
    return data


def _summary_response(exchange_id: int, status: int = 200):
    session = db()
    summary = operations.summary_of(session, exchange_id)
    version = operations.version_of(session, summary, summary.latest_version) if summary else None
    return jsonify(summary_json(summary, version, exchange_id)), status


@blueprint.get("/exchanges/<int:exchange_id>/summary")
def get_summary(exchange_id):
    may_read(operations.exchange_or_404(db(), exchange_id))
    return _summary_response(exchange_id)


@blueprint.put("/exchanges/<int:exchange_id>/summary")
def put_summary(exchange_id):
    exchange = operations.exchange_or_404(db(), exchange_id)
    staff = may_write(exchange)
    operations.save_summary(db(), exchange, SummaryInput().load(body()), staff)
    return _summary_response(exchange_id)


@blueprint.post("/exchanges/<int:exchange_id>/summary/submit")
def submit(exchange_id):
    exchange = operations.exchange_or_404(db(), exchange_id)
    operations.submit_summary(db(), exchange, may_write(exchange))
    return _summary_response(exchange_id)


@blueprint.post("/exchanges/<int:exchange_id>/summary/approve")
def approve(exchange_id):
    exchange = operations.exchange_or_404(db(), exchange_id)
    staff = may_review(exchange)
    data = ReviewInput().load(request.get_json(silent=True) or {})
    operations.approve_summary(db(), exchange, staff, data["comment"])
    return _summary_response(exchange_id)


@blueprint.post("/exchanges/<int:exchange_id>/summary/return")
def return_(exchange_id):
    exchange = operations.exchange_or_404(db(), exchange_id)
    staff = may_review(exchange)
    operations.return_summary(db(), exchange, staff, ReviewInput().load(body())["comment"])
    return _summary_response(exchange_id)


@blueprint.get("/exchanges/<int:exchange_id>/summary/history")
def summary_history(exchange_id):
    """kx addition: every save, submission, approval and return, oldest first, with the versions."""
    exchange = operations.exchange_or_404(db(), exchange_id)
    may_read(exchange)
    summary = operations.summary_of(db(), exchange_id)
    if summary is None:
        return jsonify({"history": [], "versions": []})
    versions = [summary_json(summary, v, exchange_id) | {"version": v.number, "status": None}
                for v in operations.versions_of(db(), summary)]
    return jsonify({"history": history_json(operations.history_of(db(), summary)), "versions": versions})


@blueprint.get("/themes/<code>/pack.pdf")
def theme_pack(code):
    may_download(code)
    if db().get(Theme, code) is None:
        raise ApiError(404, _("There is no theme with that code."), code="not_found")
    return pack_response(code)


@blueprint.get("/programme/pack.pdf")
def programme_pack():
    may_download(PROGRAMME)
    return pack_response(PROGRAMME)


def pack_language() -> str:
    language = request.args.get("lang", "en")
    if language not in ("en", "cy"):
        raise ApiError(422, _("Some of the information given is not valid."), fields={"lang": [_("Must be en or cy.")]})
    return language


def pack_response(scope: str, page=None):
    """The PDF at once if one is built (current, or the latest while a fresh one builds); else 202.

    `page(served)` renders the 202 for a browser; the API answers JSON.
    """
    language = pack_language()
    served = serve(db(), scope, language)
    if served.pack is None:
        if page is not None:
            return page(served), 202, {"Retry-After": "2"}
        return jsonify({"status": "building", "stage": served.stage, "progress": served.progress,
                        "retry_after": 2}), 202, {"Retry-After": "2", "Location": request.full_path.rstrip("?")}
    pack = served.pack
    etag = f'"{pack.sha256}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache",
               "X-Kx-Pack": "current" if served.current else "rebuilding",
               "Content-Disposition": f'attachment; filename="kx-pack-{scope}-{language}.pdf"'}
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers=headers)
    return Response(pack.pdf, mimetype="application/pdf", headers=headers)


@blueprint.post("/feedback")
def feedback():
    data = FeedbackInput().load(body())
    applicant = participants.applicant_for(db(), data["manage_token"])
    row, replaced = participants.give_feedback(db(), applicant, data)
    return jsonify({"about": row.about, "would_recommend": row.would_recommend, "rating": row.rating,
                    "comment": row.comment, "replaced": replaced}), 200 if replaced else 201


@blueprint.get("/feedback/summary")
def feedback_summary():
    staff = authorise("theme_lead")
    return jsonify(figures.feedback_summary(db(), led_themes(staff)))


@blueprint.put("/reflections")
def reflection():
    """kx addition: a participant's reflection on an exchange, by manage token."""
    data = ReflectionInput().load(body())
    applicant = participants.applicant_for(db(), data["manage_token"])
    row = participants.save_reflection(db(), applicant, data)
    return jsonify({"exchange_id": row.exchange_id, "text": row.text, "credit_as": row.credit_as})


@blueprint.get("/impact")
def impact():
    """kx addition: experiences of shared learning against the target (programme team)."""
    authorise("admin")
    return jsonify(figures.impact(db()))


@blueprint.put("/settings")
def put_settings():
    """kx addition: the impact target and the conference head count (programme team)."""
    authorise("admin")
    data = SettingsInput().load(body())
    row = operations.settings(db())
    row.impact_target, row.conference_attendees = data["impact_target"], data["conference_attendees"]
    return jsonify({"impact_target": row.impact_target, "conference_attendees": row.conference_attendees})


@blueprint.get("/library")
def library():
    """kx addition: published summaries, public; `theme` and `q` filter."""
    results = search(db(), request.args.get("theme") or None, (request.args.get("q") or "")[:200])
    return jsonify([{"exchange_id": r.exchange.id, "title": r.exchange.title, "theme": r.exchange.theme,
                     "url": url_for("learning.library_entry", exchange_id=r.exchange.id),
                     "key_insights": r.version.key_insights} for r in results])


# --- OpenAPI document --------------------------------------------------------------------------------

publish(blueprint, "kx learning API", OPENAPI_OPERATIONS)
