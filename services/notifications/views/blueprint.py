"""The notifications pages' blueprint, apart from its routes so that each journey's module can add
routes to it without importing the package back (tests/test_import_cycles.py)."""

from flask import Blueprint

from shared.web import vocabularies

from ..vocabularies import MESSAGE_STATUSES, TEMPLATES

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")
vocabularies(blueprint, MESSAGE_STATUSES=MESSAGE_STATUSES, TEMPLATES=TEMPLATES)
