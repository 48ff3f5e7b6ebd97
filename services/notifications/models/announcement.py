from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class Announcement(Base):
    """A host's joining information for an exchange, sent to every confirmed participant."""

    __tablename__ = "announcement"

    exchange_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: who to contact on the day, and how
    contacts: Mapped[str] = mapped_column(Text)
    #: arrival time and the day's timings
    timings: Mapped[str] = mapped_column(Text)
    #: where exactly to go: building, entrance, parking
    venue: Mapped[str] = mapped_column(Text)
    #: the venue's access information (step-free routes, hearing loops, quiet rooms); about the
    #: place, never about a participant
    access: Mapped[str] = mapped_column(Text)
    #: 1 when first written; each edit adds one (and sends "updated joining information")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: the staff account that last wrote it
    updated_by: Mapped[int] = mapped_column(Integer)
