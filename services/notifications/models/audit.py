"""Every change a member of staff made in notifications: append-only (shared/audit.py keeps the guard)."""

from shared.audit import AuditMixin

from .base import Base


class Audit(AuditMixin, Base):
    """Who changed what, when, from what to what. Never updated, except to erase a person; never deleted."""
