"""Applications: who applied, as they told us. Personal data: kept minimal, never logged."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class Application(Base):
    """One submitted application; its bookings hang off it. The applicant has no account: the
    manage token (held only by them, stored here as a sha256 hash) is their key."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: sha256 hex of the manage token; the token itself is never stored
    manage_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: as typed, for writing to them
    email: Mapped[str] = mapped_column(String(320))
    #: case-folded, for "one booking per person per exchange"
    email_folded: Mapped[str] = mapped_column(String(320), index=True)
    organisation: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(300), default="")
    #: occupation | experience | both (expert by occupation, by experience, or both)
    participant_type: Mapped[str] = mapped_column(String(20))
    #: lived experience, health, social care, Third Sector...
    stakeholder_group: Mapped[str] = mapped_column(String(120), default="")
    #: en | cy: the language to write to them in
    language: Mapped[str] = mapped_column(String(2))
    #: optional; shown only to the hosts of their exchanges and the programme team
    access_needs: Mapped[str] = mapped_column(Text, default="")
    #: yes | no_line_manager (not_applicable, from before: the same)
    line_manager_permission: Mapped[str] = mapped_column(String(20))
    #: they committed to the orientation and reflection sessions
    will_attend_sessions: Mapped[bool] = mapped_column(Boolean)
    #: when they accepted the privacy notice
    privacy_notice_accepted_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: when the applicant's personal data was erased (on request, or by retention): the row keeps
    #: only what counts the programme (participant type, stakeholder group, language)
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
