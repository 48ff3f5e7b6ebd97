"""The catalogue, as learning sees it: a projection of `registration.exchange.*` events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime
from shared.projections import ProjectedRow

from .base import Base


class Exchange(ProjectedRow, Base):
    """One exchange visit, as registration last published it."""

    __tablename__ = "exchange"

    #: registration's exchange id (not generated here)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(300))
    #: theme code, e.g. "T1"
    theme: Mapped[str] = mapped_column(String(20), index=True)
    #: subtheme code, e.g. "T1.2", when the exchange has one
    subtheme: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: the hosting organisation's name, as published
    host_name: Mapped[str] = mapped_column(String(300))
    #: the staff emails that host it, when registration sends them: who hears a summary was returned
    host_accounts: Mapped[list] = mapped_column(JSON, default=list)
    site: Mapped[str] = mapped_column(String(300))
    town: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    description: Mapped[str] = mapped_column(Text, default="")
    #: the anticipated learning outcomes, in the host's order
    learning_outcomes: Mapped[list] = mapped_column(JSON, default=list)
