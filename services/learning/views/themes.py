"""A theme lead's pages: their theme (its exchanges' summaries, the feedback comments they pick
quotes from for the pack, and its title, aim and who hears that its pack is ready, which the
programme team edits) and the feedback on their exchanges."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from shared.auth import authorise
from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db

from .. import schemas
from ..models import Summary, Theme
from ..operations import comments, figures, summaries
from ..operations.access import led_themes
from .blueprint import blueprint
from .forms import form_field, lines


@blueprint.route("/themes/<code>", methods=["GET", "POST"])
def theme_page(code):
    authorise(("theme_lead", code), "admin")
    theme = db().get(Theme, code) or abort(404)
    errors = {}
    values = {"title": theme.title, "aim": theme.aim, "title_cy": theme.title_cy or "", "aim_cy": theme.aim_cy or "",
              "notify_emails": "\n".join(theme.notify_emails)}
    if request.method == "POST":
        staff = authorise("admin")
        values = {name: request.form.get(name, "") for name in ("title", "aim", "title_cy", "aim_cy", "notify_emails")}
        try:
            data = schemas.ThemeInput().load({**values, "notify_emails": lines(values["notify_emails"])})
            summaries.update_theme(db(), code, data, staff)
            return redirect(url_for(".theme_page", code=code, saved=1))
        except ValidationError as error:
            errors = errors_by_field(error, form_field)
    return _theme_page(theme, values, errors)


def _theme_page(theme: Theme, values: dict, errors: dict, quote_errors: dict | None = None):
    """The theme's page: its pack, its summaries, the comments its leads quote from, its settings."""
    exchanges = comments.theme_exchanges(db(), theme.code)
    summary_of = {s.exchange_id: s for s in db().scalars(select(Summary))}
    rows = [(e, summary_of.get(e.id)) for e in exchanges]
    # a pack of nothing approved would be a cover and no content: none is offered
    has_approved = any(summary is not None and summary.approved_version for _exchange, summary in rows)
    said = comments.comments_on(db(), [e.id for e in exchanges])
    failed = {**errors, **(quote_errors or {})}
    return render_template("learning/theme.html", theme=theme, rows=rows, has_approved=has_approved,
                           comments=said, exchanges={e.id: e for e in exchanges}, small=figures.SMALL,
                           values=values, errors=failed, form_errors=bool(failed)), 422 if failed else 200


@blueprint.post("/themes/<code>/quotes")
def pick_quotes(code):
    """A theme lead's choice of feedback comments to quote in the theme's pack ("Use in the pack")."""
    staff = authorise(("theme_lead", code), "admin")
    theme = db().get(Theme, code) or abort(404)
    picked = {int(value) for value in request.form.getlist("quote") if value.isdecimal() and len(value) < 12}
    try:
        comments.pick_quotes(db(), code, picked, staff)
    except ApiError as error:
        db().rollback()
        values = {"title": theme.title, "aim": theme.aim, "notify_emails": "\n".join(theme.notify_emails)}
        return _theme_page(theme, values, {}, errors_by_field(error, form_field))
    return redirect(url_for(".theme_page", code=code, saved="quotes", _anchor="quotes"))


@blueprint.get("/feedback")
def feedback_page():
    staff = authorise("theme_lead", "admin")
    return render_template("learning/feedback.html", feedback=figures.feedback_summary(db(), led_themes(staff)))
