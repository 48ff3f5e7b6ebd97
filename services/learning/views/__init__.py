"""Learning pages: hosts write summaries, theme leads review them and download packs, the
programme team sees everything, participants reflect and give feedback through their manage link,
and anyone can read the library. Server-rendered, GOV.UK form patterns, no JavaScript.

One module per journey, all on this blueprint: `summaries` (hosts' summaries and their review),
`themes` (a lead's theme and its feedback), `packs` (the PDF downloads), `programme` (the
programme team's page), `manage` (a participant's page) and `library` (public)."""

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


def lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def form_field(path: str) -> str:
    """`key_insights.3` is shown beside `key_insights`."""
    return path.split(".")[0]


from . import library, manage, packs, programme, summaries, themes  # noqa: E402, F401 - they route on the blueprint
