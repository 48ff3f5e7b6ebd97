"""Participants' own reflections on an exchange, given through their manage link."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class Reflection(Base):
    """One participant's reflection on one exchange; saving again replaces it."""

    __tablename__ = "reflection"

    exchange_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    text: Mapped[str] = mapped_column(Text)
    #: how they wish to be credited if the host folds this in ("" = anonymously)
    credit_as: Mapped[str] = mapped_column(String(200), default="")
    #: en | cy: the language it was written in (the participant's page language when saved)
    language: Mapped[str] = mapped_column(String(2), default="en", server_default="en")
    #: the host has folded it into the summary
    folded_in: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
