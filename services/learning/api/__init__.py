"""The learning API (`/learning/api`), as the contract's "Learning API" names it, plus additions
written down in docs/learning.md. Bearer tokens, so no CSRF; the request is the commit point.

One module per resource; each view declares what it reads and answers (shared/api.py), and the
OpenAPI document at `/learning/api/openapi.json` is written from those declarations.
"""

from __future__ import annotations

from flask import Blueprint

from shared.openapi import publish
from shared.web import csrf

blueprint = Blueprint("learning_api", __name__, url_prefix="/learning/api")
csrf.exempt(blueprint)

from . import library, packs, participants, programme, summaries  # noqa: E402, F401 - they route on the blueprint

publish(blueprint, "kx learning API")
