from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime
from shared.projections import ProjectedRow

from .base import Base


class Exchange(ProjectedRow, Base):
    """What messages and reminders need of an exchange, from registration's events.

    Filled from `registration.exchange.*` and from the brief on booking events, whichever is newer
    (`event_time`): the two arrive on different queues, in any order.
    """

    __tablename__ = "exchange"

    #: registration's exchange id
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(300))
    #: the Welsh title and site, for messages in Welsh; null when registration has none
    title_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: the theme's code (`T1`); null until an exchange event says it (a booking's brief does not)
    theme: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: where it happens
    site: Mapped[str] = mapped_column(String(300))
    site_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    town: Mapped[str] = mapped_column(String(200))
    #: the hosting organisation's name
    host_name: Mapped[str] = mapped_column(String(300))
    #: the online orientation session, if there is one
    orientation_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    orientation_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: the online reflection session, if there is one
    reflection_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reflection_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
