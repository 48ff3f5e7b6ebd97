"""Attendance: whether a participant came to each stage of their exchange."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class Attendance(Base):
    """As the host last recorded it, per booking and stage."""

    __tablename__ = "attendance"
    __table_args__ = (
        CheckConstraint("stage IN ('orientation', 'exchange', 'reflection')", name="stage_known"),
    )

    booking_id: Mapped[int] = mapped_column(ForeignKey("bookings.id", ondelete="CASCADE"), primary_key=True)
    #: orientation | exchange | reflection
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    attended: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: the staff account that recorded it
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
