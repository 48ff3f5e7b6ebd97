"""The programme team's themes and sub-themes: one form adds a theme or changes one; each theme's
own page changes it and its theme leads, ticked from the staff accounts with the theme lead role
(saving changes those accounts' scopes: operations/accounts.py `set_theme_leads`)."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db

from .. import operations
from ..models import Theme
from ..operations import accounts
from ..schemas import ThemeInput
from .blueprint import blueprint
from .staff import page, signed_in


@blueprint.route("/staff/themes", methods=["GET", "POST"])
def themes():
    staff = signed_in("admin")
    form, errors = {}, {}
    if request.method == "POST":
        form = {name: request.form.get(name, "") for name in ("code", "title", "title_cy", "subthemes", "subthemes_cy")}
        try:
            data = _theme_input(form, form["code"].strip())
            if db().get(Theme, data["code"]) is None:
                operations.create_theme(db(), data["code"], data["title"], data["subthemes"], staff=staff,
                                        title_cy=data["title_cy"])
            else:
                operations.update_theme(db(), data["code"], data["title"], data["subthemes"], staff=staff,
                                        title_cy=data["title_cy"])
            return redirect(url_for(".themes"))
        except ValidationError as invalid:
            errors = errors_by_field(invalid, _theme_field)
        except ApiError as refused:
            errors = {"subthemes": refused.message}
    return page("registration/staff/themes.html", 422 if errors else 200, themes=operations.theme_tree(db()),
                form=form, errors=errors)


@blueprint.route("/staff/themes/<code>", methods=["GET", "POST"])
def theme(code):
    staff = signed_in("admin")
    theme = db().get(Theme, code) or abort(404)
    current = next(t for t in operations.theme_tree(db()) if t["code"] == theme.code)
    leads = accounts.lead_choices(db(), theme.code)
    form = {"title": theme.title, "title_cy": theme.title_cy or "",
            "subthemes": "\n".join(f'{s["code"]} {s["title"]}' for s in current["subthemes"]),
            "subthemes_cy": "\n".join(f'{s["code"]} {s["title_cy"]}' for s in current["subthemes"] if s["title_cy"]),
            "leads": [str(i) for i in sorted(accounts.theme_lead_ids(db(), theme.code))]}
    errors = {}
    if request.method == "POST":
        form = {**{name: request.form.get(name, "") for name in ("title", "title_cy", "subthemes", "subthemes_cy")},
                "leads": request.form.getlist("leads")}
        offered = {key for key, _label in leads}
        try:
            data = _theme_input(form, theme.code)
            if not set(form["leads"]) <= offered:
                errors = {"leads": _("Choose theme leads from the list.")}
            else:
                operations.update_theme(db(), theme.code, data["title"], data["subthemes"], staff=staff,
                                        title_cy=data["title_cy"])
                accounts.set_theme_leads(db(), theme.code, [int(key) for key in form["leads"]], staff=staff)
                return redirect(url_for(".themes"))
        except ValidationError as invalid:
            errors = errors_by_field(invalid, _theme_field)
        except ApiError as refused:
            errors = errors_by_field(refused, _theme_field, "subthemes")
    return page("registration/staff/theme.html", 422 if errors else 200, theme=current, form=form, errors=errors,
                lead_options=leads)


def _theme_input(form: dict, code: str) -> dict:
    """The theme form read by the API's schema: sub-themes one a line in English, and in Welsh
    by the same codes."""
    subthemes = _subtheme_lines(form["subthemes"])
    welsh = {item["code"]: item["title"] for item in _subtheme_lines(form["subthemes_cy"])}
    unknown = sorted(set(welsh) - {item["code"] for item in subthemes})
    if unknown:
        raise ValidationError({"subthemes_cy": [_("Give each Welsh title the code of a sub-theme in English: there is "
                                                  "no sub-theme %(codes)s.", codes=", ".join(unknown))]})
    for item in subthemes:
        if welsh.get(item["code"]):
            item["title_cy"] = welsh[item["code"]]
    return ThemeInput().load({"code": code, "title": form["title"], "title_cy": form["title_cy"],
                              "subthemes": subthemes})


def _subtheme_lines(text: str) -> list[dict]:
    items = []
    for line in text.splitlines():
        code, _space, title = line.strip().partition(" ")
        if code:
            items.append({"code": code, "title": title})
    return items


def _theme_field(path: str) -> str:
    if path.startswith("subthemes_cy") or (path.startswith("subthemes") and path.endswith("title_cy")):
        return "subthemes_cy"
    if path.startswith("subthemes"):
        return "subthemes"
    return "leads" if path in ("roles", "themes") else path
