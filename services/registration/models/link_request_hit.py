"""Requests for a manage link, counted in the database so that the limit holds across every web
process (operations/link_requests.py). Keys are HMACs, never an email or an address."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class LinkRequestHit(Base):
    """One request counted against one key, until its window has passed."""

    __tablename__ = "link_request_hits"
    __table_args__ = (Index("ix_link_request_hits_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
                                    autoincrement=True)
    #: HMAC-SHA256 hex, under the secret key, of what is counted (`email:<folded email>`, `address:<ip>`)
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime)
