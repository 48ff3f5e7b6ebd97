"""Who holds a place on which exchange: a projection of `registration.booking.*` events."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.projections import ProjectedRow

from .base import Base


class Booking(ProjectedRow, Base):
    """An application's booking on one exchange and its latest status."""

    __tablename__ = "booking"

    exchange_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, index=True)
    #: confirmed | waitlisted | cancelled (promoted is recorded as confirmed)
    status: Mapped[str] = mapped_column(String(20))
