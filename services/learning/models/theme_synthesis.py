"""A theme lead's synthesis of their theme: key messages, questions for the workshop and draft
actions, which the theme's pack uses. Kept as summaries are: every save is a version, never
changed after it is written; publishing a version puts it in the pack, where it stays until a
newer version is published (a draft saved meanwhile never reaches a pack).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class ThemeSynthesis(Base):
    """One per theme: its state and which version is where."""

    __tablename__ = "theme_synthesis"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    theme: Mapped[str] = mapped_column(String(20), unique=True)
    #: draft (the latest version is not the published one) | published
    status: Mapped[str] = mapped_column(String(20), default="draft")
    latest_version: Mapped[int] = mapped_column(Integer, default=0)
    #: the version the pack uses; None until the first is published
    published_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


class ThemeSynthesisVersion(Base):
    """The synthesis as saved once. The `_cy` fields are its optional Welsh (CONTRACT.md "Content
    in Welsh and English"); `actions_cy` is the Welsh of each action's text, in the same order."""

    __tablename__ = "theme_synthesis_version"
    __table_args__ = (UniqueConstraint("synthesis_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    synthesis_id: Mapped[int] = mapped_column(ForeignKey("theme_synthesis.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    key_messages: Mapped[list] = mapped_column(JSON, default=list)
    key_messages_cy: Mapped[list] = mapped_column(JSON, default=list)
    workshop_questions: Mapped[list] = mapped_column(JSON, default=list)
    workshop_questions_cy: Mapped[list] = mapped_column(JSON, default=list)
    #: [{"action": str, "owner": str, "by_when": str}], owner and by_when blank when not yet known
    actions: Mapped[list] = mapped_column(JSON, default=list)
    actions_cy: Mapped[list] = mapped_column(JSON, default=list)
    #: staff id and display name of who saved it
    author_id: Mapped[int] = mapped_column(Integer)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
