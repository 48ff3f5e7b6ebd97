"""The audit log's page (admin), linked from the staff home; the page itself is shared (shared/audit_web.py)."""

from shared import audit_web

from .blueprint import blueprint
from .staff import signed_in

audit_web.add_page(blueprint, "registration/staff/_layout.html", lambda: signed_in("admin"), rule="/staff/audit")
