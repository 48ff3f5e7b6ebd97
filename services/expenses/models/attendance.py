"""Who attended what: a projection of `registration.attendance.recorded` events."""

from __future__ import annotations

from shared.projections import AttendanceMixin

from .base import Base


class Attendance(AttendanceMixin, Base):
    """Whether an application attended one stage of an exchange; a claim needs the "exchange" stage."""
