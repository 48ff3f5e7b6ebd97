"""Figures the programme team sets: the impact target and the conference head count."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ProgrammeSetting(Base):
    """A single row (id 1)."""

    __tablename__ = "programme_setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: experiences of shared learning (attended stages) the programme aims for; none = no target
    impact_target: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: how many attended the conference in person: the denominator of its feedback's response rate
    conference_attendees: Mapped[int | None] = mapped_column(Integer, nullable=True)
