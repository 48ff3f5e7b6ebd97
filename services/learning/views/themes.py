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
from ..operations import comments, figures, summaries, synthesis
from ..operations.access import led_themes
from .blueprint import blueprint
from .forms import form_field, lines


@blueprint.route("/themes/<code>", methods=["GET", "POST"])
def theme_page(code):
    authorise(("theme_lead", code), "admin")
    theme = db().get(Theme, code) or abort(404)
    errors = {}
    values = _theme_values(theme)
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


def _theme_values(theme: Theme) -> dict:
    """The programme team's form of the theme, as saved."""
    return {"title": theme.title, "aim": theme.aim, "title_cy": theme.title_cy or "", "aim_cy": theme.aim_cy or "",
            "notify_emails": "\n".join(theme.notify_emails)}


def _theme_page(theme: Theme, values: dict, errors: dict, quote_errors: dict | None = None,
                synthesis_form: dict | None = None):
    """The theme's page: its pack, its summaries, the comments its leads quote from, its
    synthesis (`synthesis_form`: what the lead sent, when it was refused), its settings."""
    exchanges = comments.theme_exchanges(db(), theme.code)
    summary_of = {s.exchange_id: s for s in db().scalars(select(Summary))}
    rows = [(e, summary_of.get(e.id)) for e in exchanges]
    # a pack of nothing approved would be a cover and no content: none is offered
    has_approved = any(summary is not None and summary.approved_version for _exchange, summary in rows)
    said = comments.comments_on(db(), [e.id for e in exchanges])
    failed = {**errors, **(quote_errors or {})}
    current = synthesis.view(db(), theme)
    return render_template("learning/theme.html", theme=theme, rows=rows, has_approved=has_approved,
                           comments=said, exchanges={e.id: e for e in exchanges}, small=figures.SMALL,
                           values=values, errors=failed, form_errors=bool(failed), synthesis=current,
                           synthesis_values=synthesis_form or _synthesis_values(current),
                           synthesis_versions=synthesis.versions_of(db(), synthesis.synthesis_of(db(), theme.code))
                           ), 422 if failed else 200


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
        return _theme_page(theme, _theme_values(theme), {}, errors_by_field(error, form_field))
    return redirect(url_for(".theme_page", code=code, saved="quotes", _anchor="quotes"))


@blueprint.post("/themes/<code>/synthesis")
def save_synthesis(code):
    """A theme lead's synthesis of the theme: "Save draft" keeps a version, "Publish" puts it in
    the theme's pack."""
    staff = authorise(("theme_lead", code), "admin")
    theme = db().get(Theme, code) or abort(404)
    form = {name: request.form.get(name, "") for name in synthesis.CONTENT}
    publish = request.form.get("action") == "publish"
    try:
        data = schemas.SynthesisInput().load({
            **{name: lines(form[name]) for name in schemas.SYNTHESIS_LISTS},
            "actions": [_action_of(line) for line in lines(form["actions"])], "publish": publish})
    except ValidationError as error:
        return _theme_page(theme, _theme_values(theme), {}, errors_by_field(error, form_field), synthesis_form=form)
    synthesis.save(db(), theme, data, staff)
    return redirect(url_for(".theme_page", code=code, saved="published" if publish else "synthesis",
                            _anchor="synthesis"))


def _action_of(line: str) -> dict:
    """"Agree a referral form | Theme lead | March 2027": the action, who, by when."""
    action, owner, by_when = ([part.strip() for part in line.split("|", 2)] + ["", ""])[:3]
    return {"action": action, "owner": owner, "by_when": by_when}


def _action_line(item: dict) -> str:
    """The form's line of an action (`_action_of` read back): its parts after `|`, none trailing empty."""
    parts = [item["action"], item["owner"], item["by_when"]]
    while not parts[-1]:
        parts.pop()
    return " | ".join(parts)


def _synthesis_values(current: dict) -> dict:
    """The synthesis form as last saved: one item per line, an action's parts after `|`."""
    values = {name: "\n".join(current[name]) for name in schemas.SYNTHESIS_LISTS}
    values["actions"] = "\n".join(_action_line(item) for item in current["actions"])
    return values


@blueprint.get("/feedback")
def feedback_page():
    staff = authorise("theme_lead", "admin")
    return render_template("learning/feedback.html", feedback=figures.feedback_summary(db(), led_themes(staff)))
