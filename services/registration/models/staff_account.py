"""Staff accounts: who may sign in, and how their failed attempts lock them out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class StaffAccount(Base):
    """A member of staff: programme team, host, theme lead or finance."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: case-folded; what they sign in with
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: argon2id hash (argon2-cffi)
    password_hash: Mapped[str] = mapped_column(String(200))
    #: consecutive failed sign-ins since the last success
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: no sign-in succeeds before this moment
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
