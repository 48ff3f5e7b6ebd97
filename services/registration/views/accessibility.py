"""The accessibility statement: one page for the whole system, linked from every page's footer."""

from __future__ import annotations

from flask import render_template

from .blueprint import blueprint


@blueprint.get("/accessibility")
def statement():
    return render_template("registration/accessibility.html")
