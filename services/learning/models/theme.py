"""The programme's themes: their titles and the aim a workshop pack opens with."""

from __future__ import annotations

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Theme(Base):
    """A theme. Rows appear with the first exchange of the theme; the programme team writes the aim."""

    __tablename__ = "theme"

    #: e.g. "T1"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    #: e.g. "Transforming the community mental health system"; the code until someone names it
    title: Mapped[str] = mapped_column(String(300))
    #: the title and aim in Welsh, optional: a pack in Welsh uses them where they are
    title_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: what the theme's workshop is for; opens the pack
    aim: Mapped[str] = mapped_column(Text, default="")
    aim_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: who is told when the theme's pack is ready (staff emails the programme team sets)
    notify_emails: Mapped[list] = mapped_column(JSON, default=list)
