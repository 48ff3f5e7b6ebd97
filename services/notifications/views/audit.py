"""The audit log's page (admin), linked from the delivery log; the page itself is shared (shared/audit_web.py)."""

from shared import audit_web

from .blueprint import blueprint

audit_web.add_page(blueprint, "notifications/_layout.html")
