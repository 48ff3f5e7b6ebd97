"""What happened to a summary and who did it: saves, submissions, approvals, returns."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class SummaryHistory(Base):
    """One step in a summary's life. Append-only."""

    __tablename__ = "summary_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summary.id"), index=True)
    #: saved | submitted | approved | returned | published | unpublished
    action: Mapped[str] = mapped_column(String(20))
    #: the version it concerned
    version: Mapped[int] = mapped_column(Integer)
    #: the state it left the summary in
    status: Mapped[str] = mapped_column(String(20))
    #: staff id and display name of who did it
    actor_id: Mapped[int] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(200), default="")
    #: the theme lead's comment on a return (or approval)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
