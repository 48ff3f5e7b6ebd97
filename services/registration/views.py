"""Registration pages and API."""

from flask import Blueprint, render_template

blueprint = Blueprint("registration", __name__, url_prefix="/registration")


@blueprint.get("/")
def index():
    return render_template("registration/index.html")
