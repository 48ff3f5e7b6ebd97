"""What a person wrote on a line of a claim's history, kept beside the append-only history so that
it can be erased with the person while the line itself stays for the finance audit."""

from __future__ import annotations

from sqlalchemy import Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class HistoryNote(Base):
    """The claimant's answer, finance's question, reason or note, or the masked bank change, of one
    history line. Deleted by erasure and retention (services/expenses/privacy.py)."""

    __tablename__ = "claim_history_notes"

    #: the line's id (no foreign key: one would stop the history's own trigger from being the one
    #: that refuses a TRUNCATE, and the history is never deleted anyway)
    history_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: the claim of that line: erasure finds the notes by the person's claims
    claim_id: Mapped[int] = mapped_column(Integer, index=True)
    text: Mapped[str] = mapped_column(Text)
