"""The registration API (`/registration/api`), as the contract's "Registration API" names it,
plus additions written down in docs/registration-api.md. Applicants send their manage token in
the path; staff a bearer token. No CSRF (no cookie is trusted here); the request is the commit
point (shared/web.py).

One module per resource; each view declares what it reads and answers (shared/api.py), and
`GET /registration/api/openapi.json` is written from those declarations.
"""

from __future__ import annotations

from flask import Blueprint

from shared.openapi import publish
from shared.web import csrf

blueprint = Blueprint("registration_api", __name__, url_prefix="/registration/api")
csrf.exempt(blueprint)

from . import applications, auth, exchanges, participants, privacy, themes  # noqa: E402,F401  (routes)

publish(blueprint, "kx registration API")
