"""Unfinished applications: the answers of the apply journey, kept here rather than in the session
cookie (a signed cookie is readable by anyone who holds it, and access needs are special category
data). The cookie holds only a random id; this row is found by its hash and encrypted under a key
derived from it, so the database alone can read no draft (operations/apply_drafts.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class ApplyDraft(Base):
    """One applicant's answers so far; gone when they send, or 2 hours after they last used it."""

    __tablename__ = "apply_drafts"

    #: sha256 hex of the draft's id (the id itself is only in the applicant's session)
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: `{"answers": {field: value as typed}, "answered": [question slugs]}` as JSON, encrypted (Fernet)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    #: the last time the applicant saved or read it: the 2 hours of no activity count from here
    used_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
