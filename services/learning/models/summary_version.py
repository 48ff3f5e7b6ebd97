"""Every save of a summary, kept: the version history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class SummaryVersion(Base):
    """The text of a summary as saved once. Never changed after it is written."""

    __tablename__ = "summary_version"
    __table_args__ = (UniqueConstraint("summary_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summary.id"), index=True)
    #: 1, 2, 3... within the summary
    number: Mapped[int] = mapped_column(Integer)
    #: what was learnt, one insight per item
    key_insights: Mapped[list] = mapped_column(JSON, default=list)
    innovations: Mapped[str] = mapped_column(Text, default="")
    challenges: Mapped[str] = mapped_column(Text, default="")
    #: ideas others could take home
    transferable_ideas: Mapped[str] = mapped_column(Text, default="")
    #: which of the exchange's anticipated learning outcomes were met (their text)
    outcomes_met: Mapped[list] = mapped_column(JSON, default=list)
    #: the people and organisations who wrote it, as they wish to be credited
    contributors: Mapped[list] = mapped_column(JSON, default=list)
    #: en | cy: the language it was written in (the writer's interface language when saved)
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    #: staff id of who saved it
    author_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
