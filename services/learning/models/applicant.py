"""Applicants, as far as learning needs them: how to recognise them and how to count them.

No names and no emails: the manage token's hash recognises a participant who gives feedback or a
reflection; participant type and stakeholder group are what the packs count.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class Applicant(Base):
    """One application (registration's id), from its booking events."""

    __tablename__ = "applicant"

    #: registration's application id
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: sha256 hex of the manage token (from the booking events); empty until registration sends it
    manage_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    #: when the event that gave `manage_token_hash` was raised: an older one (a booking event
    #: delivered after the link was replaced) never brings back a replaced token
    manage_token_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: occupation | experience | both
    participant_type: Mapped[str] = mapped_column(String(20))
    #: the stakeholder group given on the application (lived experience, health, social care...)
    stakeholder_group: Mapped[str | None] = mapped_column(String(100), nullable=True)
    #: en | cy: the language their pages open in
    language: Mapped[str] = mapped_column(String(2), default="en")
