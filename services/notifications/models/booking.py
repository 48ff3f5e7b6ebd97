from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import UtcDateTime

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


class Booking(Base):
    """A booking as far as messages need it: who to write to, and whether they hold a place.

    The confirmed ones of an exchange are who hears its host's announcement.
    """

    __tablename__ = "booking"

    #: registration's booking id
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    exchange_id: Mapped[int] = mapped_column(Integer, index=True)
    application_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    #: `en` or `cy`
    language: Mapped[str] = mapped_column(String(2))
    #: confirmed, waitlisted or cancelled
    status: Mapped[str] = mapped_column(String(12))
    #: the time of the event that set the status; an older event arriving late changes nothing
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)
