"""The expenses API's blueprint, apart from its routes so that each resource's module can add routes
to it without importing the package back (tests/test_import_cycles.py)."""

from flask import Blueprint

from shared.web import csrf

blueprint = Blueprint("expenses_api", __name__, url_prefix="/expenses/api")
# Manage tokens and bearer tokens, not cookies, authenticate API calls: no form can forge them.
csrf.exempt(blueprint)
