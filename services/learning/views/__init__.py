"""Learning pages: hosts write summaries, theme leads review them and download packs, the
programme team sees everything, participants reflect and give feedback through their manage link,
and anyone can read the library. Server-rendered, GOV.UK form patterns, no JavaScript.

One module per journey, each routing on `blueprint` (blueprint.py): `summaries` (hosts' summaries
and their review), `themes` (a lead's theme and its feedback), `packs` (the PDF downloads),
`programme` (the programme team's page), `manage` (a participant's page) and `library` (public)."""

from __future__ import annotations

from . import audit, library, manage, packs, programme, summaries, themes  # noqa: F401 - they route on the blueprint
from .blueprint import blueprint

__all__ = ["blueprint"]
