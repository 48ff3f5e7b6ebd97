"""A host's summary of their exchange: the list of exchanges staff see, a summary with its history,
the participants who signed it, their reflections (which the host marks folded in) and the feedback
comments, the form that saves a new version, and the submit, approve and return buttons."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from shared.auth import current_staff
from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.i18n import current_language
from shared.web import db

from .. import schemas
from ..models import Exchange, Summary, Theme
from ..operations import comments, figures, participants, summaries
from ..operations.access import (
    can_review,
    led_themes,
    may_read,
    may_review,
    may_write,
    reflection_readers,
    review_barred,
    writers,
)
from .blueprint import blueprint
from .forms import form_field, lines


@blueprint.get("/")
def index():
    staff = current_staff()
    if staff is None:
        return render_template("learning/index.html", rows=[], themes=[])
    hosted = set(staff.scopes("host"))
    themes = led_themes(staff)
    exchanges = [e for e in db().scalars(select(Exchange).order_by(Exchange.theme, Exchange.starts_at))
                 if themes is None or e.theme in themes or e.id in hosted]
    summary_of = {s.exchange_id: s for s in db().scalars(select(Summary))}
    theme_rows = [t for t in db().scalars(select(Theme).order_by(Theme.code)) if themes is None or t.code in themes]
    return render_template("learning/index.html", rows=[(e, summary_of.get(e.id)) for e in exchanges],
                           themes=theme_rows)


@blueprint.get("/exchanges/<int:exchange_id>/summary")
def summary_page(exchange_id):
    exchange = summaries.exchange_or_404(db(), exchange_id)
    may_read(exchange)
    return _summary_page(exchange, request.args.get("version", type=int))


def _summary_page(exchange: Exchange, number: int | None = None, errors: dict | None = None, comment: str = ""):
    """The summary (latest version, or `number`), its history, reflections and the actions allowed."""
    summary = summaries.summary_of(db(), exchange.id)
    version = summaries.version_of(db(), summary, number or summary.latest_version) if summary else None
    staff = current_staff()
    hosting = staff.may(*writers(exchange))
    return render_template(
        "learning/summary.html", exchange=exchange, summary=summary, version=version,
        history=summaries.history_of(db(), summary) if summary else [],
        reflections=_reflections(staff, exchange), signatures=participants.signatures_on(db(), exchange.id),
        # the feedback comments are for the exchange's hosts (the theme's leads read them on the theme page)
        comments=comments.comments_on(db(), [exchange.id]) if hosting else None, small=figures.SMALL,
        can_write=staff.may(*writers(exchange)), can_review=can_review(staff, exchange),
        review_barred=review_barred(staff, exchange),
        errors=errors or {}, form_errors=bool(errors), comment=comment)


@blueprint.route("/exchanges/<int:exchange_id>/summary/edit", methods=["GET", "POST"])
def edit_summary(exchange_id):
    exchange = summaries.exchange_or_404(db(), exchange_id)
    staff = may_write(exchange)
    summary = summaries.summary_of(db(), exchange_id)
    latest = summaries.version_of(db(), summary, summary.latest_version) if summary else None
    errors = {}
    if request.method == "POST":
        form = request.form
        raw = {"key_insights": lines(form.get("key_insights", "")), "innovations": form.get("innovations", ""),
               "challenges": form.get("challenges", ""), "transferable_ideas": form.get("transferable_ideas", ""),
               "outcomes_met": form.getlist("outcomes_met"), "contributors": lines(form.get("contributors", "")),
               "publish": form.get("publish") == "yes"}
        try:
            summaries.save_summary(db(), exchange, schemas.SummaryInput().load(raw), staff)
            return redirect(url_for(".summary_page", exchange_id=exchange_id, saved=1))
        except (ValidationError, ApiError) as error:
            errors = errors_by_field(error, form_field)
        db().rollback()
        values = {**raw, "key_insights": form.get("key_insights", ""), "contributors": form.get("contributors", "")}
    else:
        values = {"key_insights": "\n".join(latest.key_insights) if latest else "",
                  "innovations": latest.innovations if latest else "", "challenges": latest.challenges if latest else "",
                  "transferable_ideas": latest.transferable_ideas if latest else "",
                  "outcomes_met": latest.outcomes_met if latest else [],
                  "contributors": "\n".join(latest.contributors) if latest else "",
                  "publish": summary.publish if summary else False}
    # the saved text, read back in a form in the other language, is marked with the language it is in
    written_in = latest.language if latest and not errors and latest.language != current_language() else None
    return render_template("learning/summary_form.html", exchange=exchange, values=values, errors=errors,
                           form_errors=bool(errors), reflections=_reflections(staff, exchange),
                           written_in=written_in), 422 if errors else 200


def _reflections(staff, exchange: Exchange) -> list:
    """Decided here rather than in the templates, so that no page can show them to a reviewer."""
    return participants.reflections_on(db(), exchange.id) if staff.may(*reflection_readers(exchange)) else []


@blueprint.post("/exchanges/<int:exchange_id>/reflections/<int:application_id>/folded")
def reflection_folded(exchange_id, application_id):
    """The host marks a participant's reflection folded into the summary (or not, undoing it)."""
    exchange = summaries.exchange_or_404(db(), exchange_id)
    staff = may_write(exchange)
    summaries.mark_folded_in(db(), exchange, application_id, request.form.get("folded") != "no", staff)
    page = ".edit_summary" if request.form.get("back") == "edit" else ".summary_page"
    return redirect(url_for(page, exchange_id=exchange_id, folded=1, _anchor="reflections"))


@blueprint.post("/exchanges/<int:exchange_id>/summary/<action>")
def summary_action(exchange_id, action):
    exchange = summaries.exchange_or_404(db(), exchange_id)
    comment = (request.form.get("comment") or "").strip()
    try:
        if action == "submit":
            summaries.submit_summary(db(), exchange, may_write(exchange))
        elif action == "approve":
            summaries.approve_summary(db(), exchange, may_review(exchange), comment[: schemas.COMMENT_CHARS])
        elif action == "return":
            staff = may_review(exchange)
            if len(comment) > schemas.COMMENT_CHARS:
                raise ApiError(422, _("The comment must be %(n)s characters or fewer.", n=schemas.COMMENT_CHARS),
                               fields={"comment": [_("The comment must be %(n)s characters or fewer.", n=schemas.COMMENT_CHARS)]})
            summaries.return_summary(db(), exchange, staff, comment)
        else:
            abort(404)
    except ApiError as error:
        if error.status not in (409, 422) and error.code != "host_cannot_review":
            raise
        db().rollback()
        # the reviewer's comment box is where a refusal of approving or returning belongs; a
        # refusal of the host's submit is about the whole summary
        shown_beside = "_schema" if error.status == 403 or action == "submit" else "comment"
        return _summary_page(exchange, errors=errors_by_field(error, form_field, shown_beside),
                             comment=comment), error.status
    return redirect(url_for(".summary_page", exchange_id=exchange_id, done=action))
