"""Idempotency keys: a retried POST answers with the first response and changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class IdempotencyKey(Base):
    """The first answer to a request that carried an `Idempotency-Key` header.

    The answer holds a manage token, so it is stored encrypted with a key derived from the
    idempotency key itself: only the client that holds the key can read it back.
    """

    __tablename__ = "idempotency_keys"

    #: sha256 hex of the endpoint and the client's key (the key itself is not stored)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: sha256 hex of the request body, so the same key with another body is refused
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    #: the JSON response, encrypted (Fernet)
    response: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
