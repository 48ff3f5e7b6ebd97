"""Applicants as expenses knows them: a projection of `registration.booking.*` events."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.projections import ProjectedRow

from .base import Base


class Claimant(ProjectedRow, Base):
    """One application (one person): who may claim, and how to write to them."""

    __tablename__ = "claimants"

    #: registration's application id
    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: shown to finance beside each claim and used to greet the claimant in messages
    name: Mapped[str] = mapped_column(String(200))
    #: where claim messages go (on the claim events only, never logged)
    email: Mapped[str] = mapped_column(String(320))
    #: en | cy
    language: Mapped[str] = mapped_column(String(5))
    #: occupation | experience | both; only experience and both may claim
    participant_type: Mapped[str] = mapped_column(String(20))
    #: sha256 hex of the manage token (the token itself is never stored here)
    manage_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
