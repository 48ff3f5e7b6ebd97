"""Participants who put their name to their exchange's summary: the summary is co-written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class SummarySignature(Base):
    """One participant's consent to be named as a contributor of one exchange's summary; taking
    their name off deletes it."""

    __tablename__ = "summary_signature"

    exchange_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: their name as they wish it shown in the summary and the pack
    name: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
