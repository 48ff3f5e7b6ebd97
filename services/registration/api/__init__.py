"""The registration API (`/registration/api`), as the contract's "Registration API" names it,
plus additions written down in docs/registration-api.md. Applicants send their manage token in
the path; staff a bearer token. No CSRF (no cookie is trusted here); the request is the commit
point (shared/web.py).

One module per resource, each routing on `blueprint` (blueprint.py); each view declares what it
reads and answers (shared/api.py), and `GET /registration/api/openapi.json` is written from those
declarations.
"""

from __future__ import annotations

from shared.openapi import publish

from . import applications, audit, auth, bookings, exchanges, participants, privacy, staff, themes  # noqa: F401 - they route on the blueprint
from .blueprint import blueprint

publish(blueprint, "kx registration API")

__all__ = ["blueprint"]
