"""The exchanges people claim for: a projection of `registration.exchange.*` events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime
from shared.projections import ProjectedRow

from .base import Base


class Exchange(ProjectedRow, Base):
    """What finance pages and claim windows need of an exchange (title, theme, dates)."""

    __tablename__ = "exchanges"

    #: registration's exchange id
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(300))
    #: theme code, e.g. T1
    theme: Mapped[str] = mapped_column(String(20), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
