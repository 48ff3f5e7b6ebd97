"""Every change of every claim: append-only (see services/expenses/operations/history.py for the guard)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import UtcDateTime, utcnow

from .base import Base
from .history_note import HistoryNote


class ClaimHistory(Base):
    """Who did what to a claim, when, from which status to which, and why. Never updated or deleted."""

    __tablename__ = "claim_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: claimant | finance | system
    actor_kind: Mapped[str] = mapped_column(String(20))
    #: staff id for finance; None for the claimant and the system
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the staff member's name as their token gave it, "Claimant" or "System"
    actor_name: Mapped[str] = mapped_column(String(200))
    #: created, submitted, amended, answered, queried, approved, rejected, withdrawn,
    #: added_to_run, removed_from_run, paid
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str] = mapped_column(String(20))
    #: the system's own note (`payment run 12`); never anything a person wrote, which is `written`
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: what a person wrote on this line, until erased (HistoryNote)
    written: Mapped[HistoryNote | None] = relationship(
        primaryjoin="foreign(HistoryNote.history_id) == ClaimHistory.id", lazy="joined", uselist=False)

    @property
    def text(self) -> str | None:
        """The line's note as read: the system's, or what a person wrote (None once erased)."""
        return self.note if self.note is not None else (self.written.text if self.written else None)
