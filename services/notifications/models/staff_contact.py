"""Where and in which language to write to staff, as registration last announced it (shared/staff_projection.py)."""

from shared.staff_projection import StaffContactMixin

from .base import Base


class StaffContact(StaffContactMixin, Base):
    __doc__ = StaffContactMixin.__doc__
