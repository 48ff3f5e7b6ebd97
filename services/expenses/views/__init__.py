"""The expenses pages: the claimant's (`claimant`, under `/expenses`, reached through their manage
link) and finance's (`finance`, under `/expenses/finance`), with `forms` turning their web forms
into the API's input and refusals back into errors beside each field.

Each journey's module makes its own blueprint (so that no module of the package imports this one
back); this package gathers them in `BLUEPRINTS` and gives every page of the app the same helpers
and vocabularies.
"""

from __future__ import annotations

from shared.auth import current_staff
from shared.web import vocabularies

from ..operations.bank import masked
from ..operations.pricing import miles_text, pounds
from ..vocabularies import (
    CLAIM_STATUSES,
    FLAG_WORDS,
    ITEM_TYPES,
    RUN_STATUSES,
    VEHICLES,
    describe_line,
    working_words,
)
from . import audit, claimant, finance  # noqa: F401 - audit routes on claimant's blueprint

BLUEPRINTS = (claimant.blueprint, finance.blueprint)


@claimant.blueprint.app_context_processor
def _helpers():
    return {"pounds": pounds, "staff": current_staff(), "masked": masked, "describe": describe_line,
            "working": working_words, "miles_text": miles_text}


vocabularies(claimant.blueprint, CLAIM_STATUSES=CLAIM_STATUSES, RUN_STATUSES=RUN_STATUSES, ITEM_TYPES=ITEM_TYPES,
             VEHICLES=VEHICLES, FLAG_WORDS=FLAG_WORDS)
