"""Packs waiting to be built, and how far the worker has got with each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base

STAGES = ("queued", "collecting", "rendering", "writing")


class PackRequest(Base):
    """A wish for a fresh pack of one scope and language; the worker deletes it when built."""

    __tablename__ = "pack_request"

    #: a theme code, or "programme"
    scope: Mapped[str] = mapped_column(String(20), primary_key=True)
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    #: the latest time someone asked (an approval, a download of a stale pack)
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: queued | collecting | rendering | writing
    stage: Mapped[str] = mapped_column(String(20), default="queued")
    #: when a worker claimed it; a claim older than the build timeout is taken over
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: failed builds so far; after a few the request waits for the next change
    failures: Mapped[int] = mapped_column(Integer, default=0)
