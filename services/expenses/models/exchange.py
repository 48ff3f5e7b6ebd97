"""The exchanges people claim for: a projection of `registration.exchange.*` events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Exchange(Base):
    """What finance pages and claim windows need of an exchange (title, theme, dates)."""

    __tablename__ = "exchanges"

    #: registration's exchange id
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(300))
    #: theme code, e.g. T1
    theme: Mapped[str] = mapped_column(String(20), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: when the event this row reflects was raised; an older event never overwrites a newer one
    event_time: Mapped[str] = mapped_column(String(40))
