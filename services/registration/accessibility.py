"""The accessibility statement: one page for the whole system, linked from every page's footer."""

from __future__ import annotations

from flask import Blueprint, render_template

blueprint = Blueprint("registration_accessibility", __name__, url_prefix="/registration")


@blueprint.get("/accessibility")
def statement():
    return render_template("registration/accessibility.html")
