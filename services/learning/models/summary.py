"""The summary of an exchange: its approval state and which version is where.

States: `draft` (being written) → `submitted` (host asks for approval) → `approved` or
`returned` (theme lead, with a comment). Saving a returned or approved summary starts a new draft;
an approved version stays the approved one, and in the packs, until a newer version is approved.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class Summary(Base):
    """One per exchange."""

    __tablename__ = "summary"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: registration's exchange id; the catalogue row may arrive after the summary (demo, replays)
    exchange_id: Mapped[int] = mapped_column(Integer, unique=True)
    #: draft | submitted | approved | returned
    status: Mapped[str] = mapped_column(String(20), default="draft")
    #: number of the latest version (what the host is working on)
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    #: number of the version the theme lead approved last; the packs and the library use it
    approved_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the theme lead's comment when they last returned it
    return_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: the host agrees to publish the approved summary in the public learning library
    publish: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
