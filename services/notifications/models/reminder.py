from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base
from .types import BigId

SCHEDULED, DONE, SKIPPED, CANCELLED = "scheduled", "done", "skipped", "cancelled"


class Reminder(Base):
    """One reminder of one booking: `offset_minutes` before (negative) or after a session.

    (booking, kind, offset) is unique, so scheduling twice schedules once; the remind job turns a
    due row into a message and marks it done in the same transaction, so it is sent once.
    """

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("booking_id", "kind", "offset_minutes"),
        Index("ix_reminder_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id"), index=True)
    exchange_id: Mapped[int] = mapped_column(Integer, index=True)
    #: orientation, exchange or reflection (reminders), or feedback (the request after reflection)
    kind: Mapped[str] = mapped_column(String(20))
    #: minutes from the session's start: -10080 is a week before; positive is after
    offset_minutes: Mapped[int] = mapped_column(Integer)
    #: when to send it; moves when the exchange's times change
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: scheduled, done (its message is created), skipped (too late when the worker saw it;
    #: or a nearer reminder of the same session went instead) or cancelled (booking cancelled)
    status: Mapped[str] = mapped_column(String(10), default=SCHEDULED)
    #: the message it became
    message_id: Mapped[int | None] = mapped_column(ForeignKey("message.id"), nullable=True)
