"""Expense claims: one per claimant per exchange, amended rather than duplicated."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base

#: draft (being written, kx addition) → submitted → queried → submitted; submitted → approved |
#: rejected; draft|submitted|queried → withdrawn; approved → in_run → paid (in_run → approved when
#: its run is cancelled)
STATUSES = ("draft", "submitted", "queried", "approved", "rejected", "withdrawn", "in_run", "paid")


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        UniqueConstraint("exchange_id", "application_id"),
        # the finance queue: by status, newest submissions first
        Index("ix_claims_status_submitted", "status", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exchange_id: Mapped[int] = mapped_column(Integer, index=True)
    #: the claimant (registration's application id)
    application_id: Mapped[int] = mapped_column(Integer, index=True)
    #: one of STATUSES
    status: Mapped[str] = mapped_column(String(20))
    #: sum of the items' amounts, computed by the server
    total_pence: Mapped[int] = mapped_column(Integer, default=0)
    #: what finance approved (all lines, or the selected ones); what is paid
    approved_pence: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the flags of its items, space-separated codes (over_cap lost_receipt duplicate_receipt ...); "" when none
    flags: Mapped[str] = mapped_column(String(200), default="")
    #: bank details (account name, sort code, account number) as one Fernet token; never in clear
    bank_ciphertext: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: last four digits of the account number, the only part ever shown
    bank_last4: Mapped[str | None] = mapped_column(String(4), nullable=True)
    #: fingerprint of the key that encrypted them; the worker re-encrypts rows under an older key
    bank_key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)
    #: when the claimant last replaced bank details already given with others: finance sees it flagged
    bank_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: when the claimant declared the costs true and not claimed elsewhere
    declared_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: finance's latest question (status queried), and the claimant's answer to it
    question: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: the reason of a rejection, or why some lines were not approved
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: staff id who approved it: they may not also release it in a payment run
    approved_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    payment_run_id: Mapped[int | None] = mapped_column(ForeignKey("payment_runs.id"), nullable=True, index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
    #: first (and latest) submission; the queue sorts by it
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    @property
    def payable_pence(self) -> int:
        return self.approved_pence if self.approved_pence is not None else self.total_pence

    def flag_list(self) -> list[str]:
        """Its lines' flags, and whether its bank details were changed (kept apart: the lines' flags
        are worked out again whenever the lines change)."""
        return [*(self.flags.split() if self.flags else []), *(["bank_details_changed"] if self.bank_changed_at else [])]
