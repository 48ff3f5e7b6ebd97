"""Recovery codes of a TOTP second factor: ten single-use codes shown once, when the factor is
turned on, for the day the phone is lost.

Only each code's sha256 is kept: the codes are long and random (80 bits), so a hash needs no salt or
slow function, and a copy of the database signs nobody in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class RecoveryCode(Base):
    """One recovery code of one staff account."""

    __tablename__ = "staff_recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id", ondelete="CASCADE"), index=True)
    #: sha256 hex of the code as shown (without its hyphens, lower case)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: when it signed in; a used code never works again
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
