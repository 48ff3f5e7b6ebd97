"""Which staff tokens are revoked, as registration last announced it (shared/staff_projection.py)."""

from shared.staff_projection import StaffVersionMixin

from .base import Base


class StaffVersion(StaffVersionMixin, Base):
    __doc__ = StaffVersionMixin.__doc__
