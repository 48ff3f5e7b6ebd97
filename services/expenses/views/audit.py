"""The audit log's page (admin, `/expenses/audit`), linked from finance's pages for an admin; the page
itself is shared (shared/audit_web.py)."""

from shared import audit_web

from .claimant import blueprint

audit_web.add_page(blueprint, "expenses/_layout.html")
