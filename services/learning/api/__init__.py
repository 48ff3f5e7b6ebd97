"""The learning API (`/learning/api`), as the contract's "Learning API" names it, plus additions
written down in docs/learning.md. Bearer tokens, so no CSRF; the request is the commit point.

One module per resource, each routing on `blueprint` (blueprint.py); each view declares what it
reads and answers (shared/api.py), and the OpenAPI document at `/learning/api/openapi.json` is
written from those declarations.
"""

from __future__ import annotations

from shared.openapi import publish

from . import audit, library, packs, participants, programme, summaries, synthesis  # noqa: F401 - they route on the blueprint
from .blueprint import blueprint

publish(blueprint, "kx learning API")

__all__ = ["blueprint"]
