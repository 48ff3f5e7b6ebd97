"""The programme team's page: feedback and impact across the programme, and its settings (the
impact target and the conference head count)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from marshmallow import ValidationError
from sqlalchemy import select

from shared.auth import authorise
from shared.forms import errors_by_field
from shared.web import db

from .. import schemas
from ..models import Theme
from ..operations import figures, summaries
from ..vocabularies import impact_tables
from .blueprint import blueprint
from .forms import form_field


@blueprint.route("/programme", methods=["GET", "POST"])
def programme_page():
    staff = authorise("admin")
    setting = summaries.settings(db())
    errors = {}
    values = {"impact_target": setting.impact_target or "", "conference_attendees": setting.conference_attendees or ""}
    if request.method == "POST":
        values = {k: request.form.get(k, "").strip() for k in values}
        try:
            data = schemas.SettingsInput().load({k: (int(v) if v.isdigit() else (v or None)) for k, v in values.items()})
            summaries.save_settings(db(), data, staff)
            return redirect(url_for(".programme_page", saved=1))
        except ValidationError as error:
            errors = errors_by_field(error, form_field)
            db().rollback()
    impact = figures.impact(db())
    return render_template("learning/programme.html", feedback=figures.feedback_summary(db()),
                           impact=impact, impact_tables=impact_tables(impact), values=values, errors=errors,
                           form_errors=bool(errors),
                           themes=list(db().scalars(select(Theme).order_by(Theme.code)))), 422 if errors else 200
