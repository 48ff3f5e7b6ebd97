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
    #: the Welsh versions registration publishes (`*_cy`), null when there is none: packs in Welsh use them
    title_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: theme code, e.g. "T1"
    theme: Mapped[str] = mapped_column(String(20), index=True)
    #: subtheme code, e.g. "T1.2", when the exchange has one
    subtheme: Mapped[str | None] = mapped_column(String(20), nullable=True)
    #: the hosting organisation's name, as published
    host_name: Mapped[str] = mapped_column(String(300))
    #: the staff emails that host it, when registration sends them: who hears a summary was returned
    host_accounts: Mapped[list] = mapped_column(JSON, default=list)
    site: Mapped[str] = mapped_column(String(300))
    site_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    town: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    description: Mapped[str] = mapped_column(Text, default="")
    description_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: the anticipated learning outcomes, in the host's order
    learning_outcomes: Mapped[list] = mapped_column(JSON, default=list)
    learning_outcomes_cy: Mapped[list | None] = mapped_column(JSON, nullable=True)
