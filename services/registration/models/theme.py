"""Themes and their sub-themes: how the programme groups its exchanges."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Theme(Base):
    """A theme of the programme, e.g. T1 "Transforming the community mental health system"."""

    __tablename__ = "themes"

    #: short code shown everywhere and used in events and role scopes, e.g. "T1"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the title in Welsh (optional; a Welsh page shows the English one, marked, without it)
    title_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: order in lists; ties fall back to the code
    position: Mapped[int] = mapped_column(Integer, default=0)


class Subtheme(Base):
    """A sub-theme within a theme, e.g. T1.1 "Open access care"."""

    __tablename__ = "subthemes"

    #: e.g. "T1.1"; unique across the programme
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    theme_code: Mapped[str] = mapped_column(ForeignKey("themes.code", onupdate="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
