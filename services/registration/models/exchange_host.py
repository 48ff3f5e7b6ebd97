"""Which staff accounts host which exchange (by email, so an account may be created later)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ExchangeHost(Base):
    """A staff email that hosts an exchange: at sign-in it grants `host` scoped to the exchange."""

    __tablename__ = "exchange_hosts"

    exchange_id: Mapped[int] = mapped_column(ForeignKey("exchanges.id", ondelete="CASCADE"), primary_key=True)
    #: case-folded email of the hosting staff account
    email: Mapped[str] = mapped_column(String(320), primary_key=True, index=True)
