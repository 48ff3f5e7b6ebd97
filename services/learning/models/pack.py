"""Built workshop packs (PDF), cached by a hash of everything that went into them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class Pack(Base):
    """One built PDF. A pack whose inputs hash the same is never built twice."""

    __tablename__ = "pack"
    __table_args__ = (UniqueConstraint("scope", "language", "input_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: a theme code, or "programme" for the pack of all themes
    scope: Mapped[str] = mapped_column(String(20))
    #: en | cy
    language: Mapped[str] = mapped_column(String(2))
    #: sha256 of the pack's inputs (summaries, catalogue, counts, feedback, templates, language)
    input_hash: Mapped[str] = mapped_column(String(64))
    #: the PDF itself; deferred so that listing packs does not load megabytes
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: sha256 of the PDF (the ETag and what `learning.pack.generated` announces)
    sha256: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    built_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
