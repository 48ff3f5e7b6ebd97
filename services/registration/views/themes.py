"""The programme team's themes and sub-themes: one form adds a theme or changes one."""

from __future__ import annotations

from flask import redirect, request, url_for
from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import db

from .. import operations
from ..models import Theme
from ..schemas import ThemeInput
from .blueprint import blueprint
from .staff import page, signed_in


@blueprint.route("/staff/themes", methods=["GET", "POST"])
def themes():
    staff = signed_in("admin")
    form, errors = {}, {}
    if request.method == "POST":
        form = {name: request.form.get(name, "") for name in ("code", "title", "subthemes")}
        try:
            data = ThemeInput().load({"code": form["code"].strip(), "title": form["title"],
                                      "subthemes": _subtheme_lines(form["subthemes"])})
            if db().get(Theme, data["code"]) is None:
                operations.create_theme(db(), data["code"], data["title"], data["subthemes"], staff=staff)
            else:
                operations.update_theme(db(), data["code"], data["title"], data["subthemes"], staff=staff)
            return redirect(url_for(".themes"))
        except ValidationError as invalid:
            errors = errors_by_field(invalid, _theme_field)
        except ApiError as refused:
            errors = {"subthemes": refused.message}
    return page("registration/staff/themes.html", 422 if errors else 200, themes=operations.theme_tree(db()),
                form=form, errors=errors)


def _subtheme_lines(text: str) -> list[dict]:
    items = []
    for line in text.splitlines():
        code, _space, title = line.strip().partition(" ")
        if code:
            items.append({"code": code, "title": title})
    return items


def _theme_field(path: str) -> str:
    return "subthemes" if path.startswith("subthemes") else path
