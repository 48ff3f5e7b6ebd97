"""Who attended what: a projection of `registration.attendance.recorded` events."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Attendance(Base):
    """Whether an application attended one stage of an exchange, as the host last recorded it."""

    __tablename__ = "attendance"

    exchange_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, index=True)
    #: orientation | exchange | reflection; a claim needs "exchange"
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    attended: Mapped[bool] = mapped_column(Boolean)
    #: when the event this row reflects was raised; an older event never overwrites a newer one
    event_time: Mapped[str] = mapped_column(String(40))
