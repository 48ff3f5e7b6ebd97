"""The expenses API (`/expenses/api`), as the contract's "Expenses API" names it, plus additions
written down in docs/expenses.md. Claimants send their manage token; finance a bearer token.
No CSRF (no cookie is trusted here); the request is the commit point (shared/web.py).

One module per resource; each view declares what it reads and answers (shared/api.py), and
`GET /expenses/api/openapi.json` is written from those declarations. Each resource's module adds
its routes to the one blueprint (`blueprint.py`).
"""

from shared.openapi import publish

from . import audit, claims, dashboard, receipts, runs  # noqa: F401 - their routes
from .blueprint import blueprint

publish(blueprint, "kx expenses API")

__all__ = ["blueprint"]
