"""Staff accounts: who may sign in, in which state, and how their failed attempts lock them out."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base

INVITED, ACTIVE, DISABLED = "invited", "active", "disabled"
STATUSES = (INVITED, ACTIVE, DISABLED)


class StaffAccount(Base):
    """A member of staff: programme team, host, theme lead or finance."""

    __tablename__ = "staff_accounts"
    __table_args__ = (CheckConstraint("status IN ('invited', 'active', 'disabled')", name="status_known"),
                      CheckConstraint("language IN ('en', 'cy')", name="language_known"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: case-folded; what they sign in with
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: argon2id hash (argon2-cffi); none until the account's first set-password link is used
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: invited (no password yet), active (may sign in) or disabled (may not)
    status: Mapped[str] = mapped_column(String(10), default=ACTIVE)
    #: the language of the emails the account gets: en or cy
    language: Mapped[str] = mapped_column(String(2), default="en")
    #: goes up on deactivation and on a change of roles or scopes: tokens of an older version are revoked
    token_version: Mapped[int] = mapped_column(Integer, default=1)
    #: consecutive failed sign-ins since the last success
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: no sign-in succeeds before this moment
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: the TOTP second factor's secret (operations/mfa.py), Fernet-encrypted with a key derived from
    #: the secret key; set when setting up begins, in force once `mfa_enabled_at` is
    totp_secret: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: when the second factor was turned on (a first code confirmed it); null: off
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the time step of the last code accepted, so that a code is never accepted twice
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
