"""`/themes`: the programme's themes and their sub-themes."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.web import db

from .. import operations
from ..outputs import ThemeOutput
from ..schemas import ThemeInput
from .blueprint import blueprint
from .checks import admin


@blueprint.get("/themes")
@api.response(ThemeOutput(many=True))
def themes():
    """The themes and their sub-themes."""
    return operations.theme_tree(db())


@blueprint.post("/themes")
@api.access(STAFF, errors=(409,))
@api.response(ThemeOutput, 201)
@api.authorised_first(admin)
@api.arguments(ThemeInput)
def create_theme(data):
    """Add a theme (admin)."""
    operations.create_theme(db(), data["code"], data["title"], data.get("subthemes"), staff=authorise("admin"),
                            title_cy=data.get("title_cy"))
    return _theme(data["code"])


@blueprint.patch("/themes/<code>")
@api.access(STAFF, errors=(409,))
@api.response(ThemeOutput)
@api.authorised_first(admin)
@api.arguments(ThemeInput(partial=True, exclude=("code",)))
def update_theme(data, code):
    """Change a theme's title, Welsh title or sub-themes (admin)."""
    operations.update_theme(db(), code, data.get("title"), data.get("subthemes"), staff=authorise("admin"),
                            title_cy=data["title_cy"] if "title_cy" in api.json_body() else operations.KEEP)
    return _theme(code)


def _theme(code: str) -> dict:
    return next(theme for theme in operations.theme_tree(db()) if theme["code"] == code)
