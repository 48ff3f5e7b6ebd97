"""Subject access and erasure requests, and each service's answer to them (docs/privacy.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class PrivacyRequest(Base):
    """One request made by the programme team for a person, known only by their lookup key."""

    __tablename__ = "privacy_requests"
    __table_args__ = (CheckConstraint("kind IN ('access', 'erasure')", name="kind_known"),)

    #: a random uuid, also the request id on the bus
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: access | erasure
    kind: Mapped[str] = mapped_column(String(10))
    #: HMAC of the case-folded email (shared/privacy.py); emptied once an erasure is complete
    subject_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: one calendar month after receipt: the legal deadline to answer
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: when the last service answered
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the staff account that made it
    requested_by: Mapped[int] = mapped_column(Integer)


class PrivacyAnswer(Base):
    """One service's answer: its part of the export (access) or what it erased and kept (erasure)."""

    __tablename__ = "privacy_answers"

    request_id: Mapped[str] = mapped_column(ForeignKey("privacy_requests.id", ondelete="CASCADE"), primary_key=True)
    #: registration | notifications | learning | expenses
    service: Mapped[str] = mapped_column(String(20), primary_key=True)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: the service's answer as it sent it; an access export is emptied 30 days after completion
    data: Mapped[dict | None] = mapped_column(JSON(none_as_null=True), nullable=True)
