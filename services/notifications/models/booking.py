from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.projections import ProjectedRow

from .base import Base

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


class Booking(ProjectedRow, Base):
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
