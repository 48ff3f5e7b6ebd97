"""The pages' blueprint, in a module of its own so that the journey modules route on it without
importing the package that imports them (tests/test_import_cycles.py); with what every page's
template is given: the limits the forms quote, the member of staff, the vocabularies."""

from __future__ import annotations

from flask import Blueprint

from shared.auth import current_staff
from shared.web import vocabularies

from .. import schemas
from ..vocabularies import PACK_STAGES, SUMMARY_ACTIONS, SUMMARY_STATUSES

blueprint = Blueprint("learning", __name__, url_prefix="/learning")


@blueprint.app_context_processor
def _limits():
    return {"limits": schemas, "staff": current_staff()}


vocabularies(blueprint, SUMMARY_STATUSES=SUMMARY_STATUSES, SUMMARY_ACTIONS=SUMMARY_ACTIONS, PACK_STAGES=PACK_STAGES)
