"""Feedback after an exchange or after the conference, through the manage link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class Feedback(Base):
    """One application's feedback on one thing; giving it again replaces it."""

    __tablename__ = "feedback"
    __table_args__ = (UniqueConstraint("application_id", "about"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(Integer)
    #: "exchange:<id>" or "conference"
    about: Mapped[str] = mapped_column(String(40), index=True)
    #: the exchange it is about; empty for the conference
    exchange_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    would_recommend: Mapped[bool] = mapped_column(Boolean)
    #: 1 (poor) to 5 (excellent)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    #: en | cy: the language the comment was written in (the participant's page language when saved)
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    #: a theme lead picked the comment as a quote for the workshop pack (cleared when it is rewritten)
    in_pack: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
