"""Set-password links: how an invited account gets its first password, and anyone a new one.

Only the link token's sha256 is kept (shared/manage_tokens.py), so a copy of the database opens no
account. A link is spent by its first use; an invitation's lasts 7 days, a reset's 1 hour.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base

INVITATION, RESET = "invitation", "reset"


class PasswordLink(Base):
    """One set-password link of one staff account."""

    __tablename__ = "staff_password_links"
    __table_args__ = (CheckConstraint("purpose IN ('invitation', 'reset')", name="purpose_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    #: sha256 hex of the link's token; the token itself is only in the link
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: invitation (7 days) or reset (1 hour)
    purpose: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: when the link set a password (or was made void by another link doing so); null while usable
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
