from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.bilingual import text_in
from shared.db import UtcDateTime, utcnow

from .base import Base


class Announcement(Base):
    """A host's joining information for an exchange, sent to every confirmed participant."""

    __tablename__ = "announcement"

    exchange_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: who to contact on the day, and how
    contacts: Mapped[str] = mapped_column(Text)
    #: arrival time and the day's timings
    timings: Mapped[str] = mapped_column(Text)
    #: where exactly to go: building, entrance, parking
    venue: Mapped[str] = mapped_column(Text)
    #: the venue's access information (step-free routes, hearing loops, quiet rooms); about the
    #: place, never about a participant
    access: Mapped[str] = mapped_column(Text)
    #: each part in Welsh, optional: a participant who reads Welsh is sent it where there is one
    contacts_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    timings_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    venue_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    access_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: 1 when first written; each edit adds one (and sends "updated joining information")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: the staff account that last wrote it
    updated_by: Mapped[int] = mapped_column(Integer)

    def in_language(self, language: str) -> SimpleNamespace:
        """The joining information as a message in `language` shows it (shared/bilingual.py)."""
        return SimpleNamespace(version=self.version, **{name: text_in(self, name, language) for name in TEXTS})


#: the parts of the joining information a host writes, each with its Welsh (`<part>_cy`) beside it
TEXTS = ("contacts", "timings", "venue", "access")
