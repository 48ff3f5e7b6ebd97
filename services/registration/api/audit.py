"""`/audit`: what members of staff changed in registration (admin; shared/audit_web.py)."""

from shared import audit_web

from .blueprint import blueprint

audit_web.add_endpoint(blueprint)
