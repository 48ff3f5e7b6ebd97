"""Bookings: one application's place (or place in the queue) on one exchange."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base

#: statuses that hold a place or a place in the queue
ACTIVE = ("confirmed", "waitlisted")
#: the same, as SQL: the condition of the one-per-person index below, written out rather than bound
#: so that a query using it can use that index, in a prepared statement's generic plan too
ACTIVE_CONDITION = "status <> 'cancelled'"


class Booking(Base):
    """A booking is confirmed, waitlisted (at a dense position 1, 2, 3...) or cancelled."""

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled')", name="status_known"),
        CheckConstraint(
            "(status = 'waitlisted' AND waitlist_position >= 1) OR "
            "(status <> 'waitlisted' AND waitlist_position IS NULL)",
            name="position_only_when_waitlisted",
        ),
        # One person holds at most one active booking per exchange, whatever the code above does.
        Index(
            "uq_bookings_active_person", "exchange_id", "email_folded", unique=True,
            postgresql_where=text(ACTIVE_CONDITION), sqlite_where=text(ACTIVE_CONDITION),
        ),
        Index("ix_bookings_exchange_status", "exchange_id", "status", "waitlist_position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id"))
    #: the applicant's case-folded email, copied here so the database can keep one per person
    email_folded: Mapped[str] = mapped_column(String(320))
    #: confirmed | waitlisted | cancelled
    status: Mapped[str] = mapped_column(String(20))
    #: 1 is next in line; only while waitlisted
    waitlist_position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: last change of status or position
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
