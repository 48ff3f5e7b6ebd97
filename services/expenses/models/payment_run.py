"""Payment runs: approved claims gathered for one bank payment file, released by a second person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base

#: open (awaiting a second finance user's approval) → approved (the bank file may be taken) →
#: confirmed (payments released); open or approved → cancelled
RUN_STATUSES = ("open", "approved", "confirmed", "cancelled")


class PaymentRun(Base):
    __tablename__ = "payment_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: one of RUN_STATUSES
    status: Mapped[str] = mapped_column(String(20), index=True)
    #: the maker: staff id and name; they may not confirm it
    created_by: Mapped[int] = mapped_column(Integer)
    created_by_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: the second finance user, not the maker, whose approval makes the bank file available
    approved_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: who recorded the payments as released, or who cancelled it
    closed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    closed_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: claims gathered and their total, fixed when the run is made
    claim_count: Mapped[int] = mapped_column(Integer)
    total_pence: Mapped[int] = mapped_column(Integer)
