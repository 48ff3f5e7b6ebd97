"""Learning pages: hosts write summaries, theme leads review them and download packs, the
programme team sees everything, participants reflect and give feedback through their manage link,
and anyone can read the library. Server-rendered, GOV.UK form patterns, no JavaScript."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from shared.auth import authorise, current_staff
from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db, vocabularies

from . import figures, operations, participants, schemas
from .access import led_themes, may_download, may_read, may_review, may_write
from .api import pack_response
from .library import entry, search
from .models import Exchange, Summary, Theme
from .packs.requests import PROGRAMME
from .presenters import PACK_STAGES, SUMMARY_ACTIONS, SUMMARY_STATUSES, impact_tables

blueprint = Blueprint("learning", __name__, url_prefix="/learning")


@blueprint.app_context_processor
def _limits():
    return {"limits": schemas, "staff": current_staff()}


vocabularies(blueprint, SUMMARY_STATUSES=SUMMARY_STATUSES, SUMMARY_ACTIONS=SUMMARY_ACTIONS, PACK_STAGES=PACK_STAGES)


def lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


@blueprint.get("/")
def index():
    staff = current_staff()
    if staff is None:
        return render_template("learning/index.html", rows=[], themes=[])
    hosted = set(staff.scopes("host"))
    themes = led_themes(staff)
    exchanges = [e for e in db().scalars(select(Exchange).order_by(Exchange.theme, Exchange.starts_at))
                 if themes is None or e.theme in themes or e.id in hosted]
    summaries = {s.exchange_id: s for s in db().scalars(select(Summary))}
    theme_rows = [t for t in db().scalars(select(Theme).order_by(Theme.code)) if themes is None or t.code in themes]
    return render_template("learning/index.html", rows=[(e, summaries.get(e.id)) for e in exchanges],
                           themes=theme_rows)


@blueprint.get("/exchanges/<int:exchange_id>/summary")
def summary_page(exchange_id):
    exchange = operations.exchange_or_404(db(), exchange_id)
    may_read(exchange)
    return _summary_page(exchange, request.args.get("version", type=int))


def _summary_page(exchange: Exchange, number: int | None = None, errors: dict | None = None, comment: str = ""):
    """The summary (latest version, or `number`), its history, reflections and the actions allowed."""
    summary = operations.summary_of(db(), exchange.id)
    version = operations.version_of(db(), summary, number or summary.latest_version) if summary else None
    staff = current_staff()
    return render_template(
        "learning/summary.html", exchange=exchange, summary=summary, version=version,
        history=operations.history_of(db(), summary) if summary else [],
        reflections=participants.reflections_on(db(), exchange.id),
        can_write=staff.has("host", exchange.id), can_review=staff.has("theme_lead", exchange.theme),
        errors=errors or {}, form_errors=bool(errors), comment=comment)


@blueprint.route("/exchanges/<int:exchange_id>/summary/edit", methods=["GET", "POST"])
def edit_summary(exchange_id):
    exchange = operations.exchange_or_404(db(), exchange_id)
    staff = may_write(exchange)
    summary = operations.summary_of(db(), exchange_id)
    latest = operations.version_of(db(), summary, summary.latest_version) if summary else None
    errors = {}
    if request.method == "POST":
        form = request.form
        raw = {"key_insights": lines(form.get("key_insights", "")), "innovations": form.get("innovations", ""),
               "challenges": form.get("challenges", ""), "transferable_ideas": form.get("transferable_ideas", ""),
               "outcomes_met": form.getlist("outcomes_met"), "contributors": lines(form.get("contributors", "")),
               "publish": form.get("publish") == "yes"}
        try:
            operations.save_summary(db(), exchange, schemas.SummaryInput().load(raw), staff)
            return redirect(url_for(".summary_page", exchange_id=exchange_id, saved=1))
        except (ValidationError, ApiError) as error:
            errors = errors_by_field(error, _form_field)
        db().rollback()
        values = {**raw, "key_insights": form.get("key_insights", ""), "contributors": form.get("contributors", "")}
    else:
        values = {"key_insights": "\n".join(latest.key_insights) if latest else "",
                  "innovations": latest.innovations if latest else "", "challenges": latest.challenges if latest else "",
                  "transferable_ideas": latest.transferable_ideas if latest else "",
                  "outcomes_met": latest.outcomes_met if latest else [],
                  "contributors": "\n".join(latest.contributors) if latest else "",
                  "publish": summary.publish if summary else False}
    reflections = participants.reflections_on(db(), exchange_id)
    return render_template("learning/summary_form.html", exchange=exchange, values=values, errors=errors,
                           form_errors=bool(errors), reflections=reflections), 422 if errors else 200


@blueprint.post("/exchanges/<int:exchange_id>/summary/<action>")
def summary_action(exchange_id, action):
    exchange = operations.exchange_or_404(db(), exchange_id)
    comment = (request.form.get("comment") or "").strip()
    try:
        if action == "submit":
            operations.submit_summary(db(), exchange, may_write(exchange))
        elif action == "approve":
            operations.approve_summary(db(), exchange, may_review(exchange), comment[: schemas.COMMENT_CHARS])
        elif action == "return":
            staff = may_review(exchange)
            if len(comment) > schemas.COMMENT_CHARS:
                raise ApiError(422, _("The comment must be %(n)s characters or fewer.", n=schemas.COMMENT_CHARS),
                               fields={"comment": [_("The comment must be %(n)s characters or fewer.", n=schemas.COMMENT_CHARS)]})
            operations.return_summary(db(), exchange, staff, comment)
        else:
            abort(404)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        db().rollback()
        return _summary_page(exchange, errors=errors_by_field(error, _form_field, "comment"),
                             comment=comment), error.status
    return redirect(url_for(".summary_page", exchange_id=exchange_id, done=action))


@blueprint.route("/themes/<code>", methods=["GET", "POST"])
def theme_page(code):
    authorise(("theme_lead", code))
    theme = db().get(Theme, code) or abort(404)
    errors = {}
    values = {"title": theme.title, "aim": theme.aim, "notify_emails": "\n".join(theme.notify_emails)}
    if request.method == "POST":
        authorise("admin")
        values = {"title": request.form.get("title", ""), "aim": request.form.get("aim", ""),
                  "notify_emails": request.form.get("notify_emails", "")}
        try:
            data = schemas.ThemeInput().load({**values, "notify_emails": lines(values["notify_emails"])})
            operations.update_theme(db(), code, data)
            return redirect(url_for(".theme_page", code=code, saved=1))
        except ValidationError as error:
            errors = errors_by_field(error, _form_field)
    exchanges = list(db().scalars(select(Exchange).where(Exchange.theme == code).order_by(Exchange.starts_at)))
    summaries = {s.exchange_id: s for s in db().scalars(select(Summary))}
    return render_template("learning/theme.html", theme=theme, rows=[(e, summaries.get(e.id)) for e in exchanges],
                           values=values, errors=errors, form_errors=bool(errors)), 422 if errors else 200


@blueprint.get("/themes/<code>/pack.pdf")
def theme_pack(code):
    may_download(code)
    if db().get(Theme, code) is None:
        abort(404)
    return pack_response(code, page=lambda served: _building(served, code))


@blueprint.get("/programme/pack.pdf")
def programme_pack():
    may_download(PROGRAMME)
    return pack_response(PROGRAMME, page=lambda served: _building(served, PROGRAMME))


def _building(served, scope):
    return render_template("learning/pack_building.html", served=served, scope=scope,
                           again=request.full_path.rstrip("?"))


@blueprint.route("/programme", methods=["GET", "POST"])
def programme_page():
    authorise("admin")
    setting = operations.settings(db())
    errors = {}
    values = {"impact_target": setting.impact_target or "", "conference_attendees": setting.conference_attendees or ""}
    if request.method == "POST":
        values = {k: request.form.get(k, "").strip() for k in values}
        try:
            data = schemas.SettingsInput().load({k: (int(v) if v.isdigit() else (v or None)) for k, v in values.items()})
            setting.impact_target, setting.conference_attendees = data["impact_target"], data["conference_attendees"]
            return redirect(url_for(".programme_page", saved=1))
        except ValidationError as error:
            errors = errors_by_field(error, _form_field)
            db().rollback()
    impact = figures.impact(db())
    return render_template("learning/programme.html", feedback=figures.feedback_summary(db()),
                           impact=impact, impact_tables=impact_tables(impact), values=values, errors=errors,
                           form_errors=bool(errors),
                           themes=list(db().scalars(select(Theme).order_by(Theme.code)))), 422 if errors else 200


@blueprint.get("/feedback")
def feedback_page():
    staff = authorise("theme_lead")
    return render_template("learning/feedback.html", feedback=figures.feedback_summary(db(), led_themes(staff)))


@blueprint.get("/library/")
def library_page():
    theme = request.args.get("theme") or None
    words = (request.args.get("q") or "")[:200]
    return render_template("learning/library.html", results=search(db(), theme, words), theme=theme, q=words,
                           themes=list(db().scalars(select(Theme).order_by(Theme.code))))


@blueprint.get("/library/<int:exchange_id>")
def library_entry(exchange_id):
    found = entry(db(), exchange_id) or abort(404)
    return render_template("learning/library_entry.html", entry=found)


@blueprint.route("/manage/<token>", methods=["GET", "POST"])
def manage(token):
    """A participant's page: their exchanges, a reflection and feedback on each, and the conference."""
    applicant = participants.applicant_for(db(), token)
    errors, kind, about = {}, request.form.get("kind"), request.form.get("about", "")
    if request.method == "POST":
        try:
            if kind == "reflection":
                data = schemas.ReflectionInput().load({
                    "manage_token": token, "exchange_id": request.form.get("exchange_id", type=int) or 0,
                    "text": request.form.get("text", ""), "credit_as": request.form.get("credit_as", "")})
                participants.save_reflection(db(), applicant, data)
            else:
                rating = request.form.get("rating", "")
                data = schemas.FeedbackInput().load({
                    "manage_token": token, "about": about, "rating": int(rating) if rating.isdigit() else None,
                    "would_recommend": {"yes": True, "no": False}.get(request.form.get("would_recommend")),
                    "comment": request.form.get("comment", "")})
                participants.give_feedback(db(), applicant, data)
            return redirect(url_for(".manage", token=token, saved=kind))
        except ValidationError as error:
            errors = errors_by_field(error, _form_field)
        except ApiError as error:
            if error.status != 403:
                raise
            errors = {"_schema": [error.message]}
        db().rollback()
    exchanges = participants.booked_exchanges(db(), applicant)
    return render_template("learning/manage.html", token=token, exchanges=exchanges,
                           attended=participants.attended_exchanges(db(), applicant),
                           feedback=participants.feedback_of(db(), applicant), errors=errors,
                           form_errors=bool(errors), kind=kind, about=about, form=request.form), 422 if errors else 200


def _form_field(path: str) -> str:
    """`key_insights.3` is shown beside `key_insights`."""
    return path.split(".")[0]
