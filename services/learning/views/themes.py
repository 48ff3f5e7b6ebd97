"""A theme lead's pages: their theme (its exchanges' summaries, and its title, aim and who hears
that its pack is ready, which the programme team edits) and the feedback on their exchanges."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from shared.auth import authorise
from shared.forms import errors_by_field
from shared.web import db

from .. import schemas
from ..models import Exchange, Summary, Theme
from ..operations import figures, summaries
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
    exchanges = list(db().scalars(select(Exchange).where(Exchange.theme == code).order_by(Exchange.starts_at)))
    summary_of = {s.exchange_id: s for s in db().scalars(select(Summary))}
    rows = [(e, summary_of.get(e.id)) for e in exchanges]
    # a pack of nothing approved would be a cover and no content: none is offered
    has_approved = any(summary is not None and summary.approved_version for _exchange, summary in rows)
    return render_template("learning/theme.html", theme=theme, rows=rows, has_approved=has_approved,
                           values=values, errors=errors, form_errors=bool(errors)), 422 if errors else 200




@blueprint.get("/feedback")
def feedback_page():
    staff = authorise("theme_lead", "admin")
    return render_template("learning/feedback.html", feedback=figures.feedback_summary(db(), led_themes(staff)))
