"""Exchanges: the visits applicants book, with the counter that guards their capacity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime

from .base import Base


class Exchange(Base):
    """One knowledge exchange visit.

    `confirmed_count` and `waitlist_length` are kept by the allocation code
    (operations/allocation.py) under the row's lock, so that an application decides on this row
    alone, with no count of bookings; the CHECK constraints make an overbooking fail in the
    database even if that code had a bug, on PostgreSQL and SQLite alike.
    """

    __tablename__ = "exchanges"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("confirmed_count >= 0", name="confirmed_not_negative"),
        CheckConstraint("confirmed_count <= capacity", name="confirmed_within_capacity"),
        CheckConstraint("waitlist_length >= 0", name="waitlist_not_negative"),
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("reserved_experience >= 0 AND reserved_occupation >= 0", name="reserved_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the Welsh versions of what the programme team and host write (`*_cy`): optional; a Welsh
    #: page shows the English text, marked lang="en", where one is missing (CONTRACT.md)
    title_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    theme_code: Mapped[str] = mapped_column(ForeignKey("themes.code", onupdate="CASCADE"), index=True)
    #: optional sub-theme within the theme
    subtheme_code: Mapped[str | None] = mapped_column(ForeignKey("subthemes.code", onupdate="CASCADE"), nullable=True)
    #: the hosting organisation's name, shown publicly
    host_name: Mapped[str] = mapped_column(String(300))
    #: where the visit takes place
    site: Mapped[str] = mapped_column(String(300))
    site_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    town: Mapped[str] = mapped_column(String(120), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: how many confirmed places there are
    capacity: Mapped[int] = mapped_column(Integer)
    #: how many bookings are confirmed now; never above capacity (CHECK)
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    #: how many bookings are waitlisted now: the last one's position (positions are dense)
    waitlist_length: Mapped[int] = mapped_column(Integer, default=0)
    #: after this moment the exchange answers `closed`
    booking_closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    #: closed early by the programme team (reopening clears it)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    #: saved by the programme team but not yet published: not in the catalogue, not bookable, and
    #: not announced on the bus until it is published (operations/catalogue.py `publish_draft`)
    draft: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the host's description of the visit
    description: Mapped[str] = mapped_column(Text, default="")
    description_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: anticipated learning outcomes, one per line
    learning_outcomes: Mapped[str] = mapped_column(Text, default="")
    learning_outcomes_cy: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: e.g. "Half a day (10:00 to 13:00), plus two 1-hour online sessions"
    time_commitment: Mapped[str] = mapped_column(String(300), default="")
    time_commitment_cy: Mapped[str | None] = mapped_column(String(300), nullable=True)
    #: the 1-hour orientation session before the visit (online)
    orientation_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    orientation_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: the 1-hour reflection session after the visit (online)
    reflection_starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reflection_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: places held for experts by experience ("experience" or "both") until `reserved_until`
    reserved_experience: Mapped[int] = mapped_column(Integer, default=0)
    #: places held for experts by occupation ("occupation" or "both") until `reserved_until`
    reserved_occupation: Mapped[int] = mapped_column(Integer, default=0)
    #: when reserved places are released to everyone; no reservation holds without it
    reserved_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
