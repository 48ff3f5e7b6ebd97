"""The expenses API (`/expenses/api`), as the contract's "Expenses API" names it, plus additions
written down in docs/expenses.md. Claimants send their manage token; finance a bearer token.
No CSRF (no cookie is trusted here); the request is the commit point (shared/web.py).

One module per resource; each view declares what it reads and answers (shared/api.py), and
`GET /expenses/api/openapi.json` is written from those declarations. Each resource's module makes
its own blueprint, nested here under the API's prefix, so that no module of the package imports
this one back.
"""

from __future__ import annotations

from flask import Blueprint

from shared.openapi import publish
from shared.web import csrf

from . import claims, dashboard, receipts, runs

blueprint = Blueprint("expenses_api", __name__, url_prefix="/expenses/api")
# Manage tokens and bearer tokens, not cookies, authenticate API calls: no form can forge them.
csrf.exempt(blueprint)
for resource in (receipts, claims, dashboard, runs):
    csrf.exempt(resource.blueprint)  # a nested blueprint answers under its own name
    blueprint.register_blueprint(resource.blueprint)

publish(blueprint, "kx expenses API")
