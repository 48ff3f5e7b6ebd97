"""The API's blueprint, in a module of its own so that the resource modules route on it without
importing the package that imports them (tests/test_import_cycles.py)."""

from __future__ import annotations

from flask import Blueprint

from shared.web import csrf

blueprint = Blueprint("registration_api", __name__, url_prefix="/registration/api")
csrf.exempt(blueprint)  # bearer tokens and manage tokens, not cookies: nothing for a forged form to ride on
