"""Projections: the rows a service keeps of another service's data, written from its events.

Delivery is at least once and not always in order (competing workers, retries, two queues for
one row), so each row keeps the time of the event it reflects (`event_time`) and an older event
never overwrites a newer one. An event of the same time is applied again: a redelivery writes the
same values, and two events raised in the same instant have no order to keep.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UtcDateTime
from .times import iso, parse_iso

Row = TypeVar("Row")

#: the event time of a row no event wrote (demo data; values the migration found empty): older than any event
BEFORE_ANY_EVENT = datetime(1970, 1, 1, tzinfo=UTC)


class ProjectedRow:
    """The column every projection row has (mix into a service's model)."""

    #: when the event this row reflects was raised; an older event never overwrites a newer one
    event_time: Mapped[datetime] = mapped_column(UtcDateTime)


class AttendanceMixin(ProjectedRow):
    """Whether an application attended one stage of an exchange, as the host last recorded it:
    a projection of `registration.attendance.recorded` (the email in the event is not kept)."""

    __tablename__ = "attendance"

    exchange_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False, index=True)
    #: orientation | exchange | reflection
    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    attended: Mapped[bool] = mapped_column(Boolean)


def event_time(envelope: Mapping[str, Any]) -> datetime:
    """When the event in this envelope was raised (its producer may write any offset)."""
    return parse_iso(envelope["time"])


def upsert_if_newer(session: Session, model: type[Row], key: Mapping[str, Any], at: datetime,
                    values: Mapping[str, Any]) -> tuple[Row, bool]:
    """Write `values` into the row of `model` under `key` (its primary key, by attribute name),
    creating it, unless the row already reflects an event newer than `at`.

    Returns the row and whether this event was applied; a stale event leaves the row as it was
    (the caller may still read it). Nothing is flushed: the row goes in with the transaction."""
    row = pending_or_stored(session, model, key)
    if row is not None and row.event_time > at:
        return row, False
    if row is None:
        row = model(**key)
        session.add(row)
    for name, value in values.items():
        setattr(row, name, value)
    row.event_time = at
    return row, True


def upsert_attendance(session: Session, model: type[Row], envelope: Mapping[str, Any],
                       data: Mapping[str, Any]) -> tuple[Row, bool]:
    """Keep a `registration.attendance.recorded` event in `model` (an `AttendanceMixin` table)."""
    key = {"exchange_id": data["exchange_id"], "application_id": data["application_id"], "stage": data["stage"]}
    return upsert_if_newer(session, model, key, event_time(envelope), {"attended": data["attended"]})


def pending_or_stored(session: Session, model: type[Row], key: Mapping[str, Any]) -> Row | None:
    """The row of `model` under `key`: one added earlier in this transaction and not yet flushed
    (`session.get` does not see those, and a batch handled without autoflush has some), else what
    the database holds."""
    for row in session.new:
        if isinstance(row, model) and all(getattr(row, name) == value for name, value in key.items()):
            return row
    return session.get(model, dict(key))


def migrate_event_time_to_datetime(table: str, keys: tuple[str, ...]) -> None:
    """The migration that turns a projection table's `event_time` from the envelope's text into a
    moment (`ProjectedRow`), on SQLite and PostgreSQL alike.

    Each value is read in Python (any offset, microseconds kept) and written back through
    `UtcDateTime`; an empty one, which demo rows held, becomes `BEFORE_ANY_EVENT`, as old as it
    compared before."""
    _retype_event_time(table, keys, sa.String(length=40), UtcDateTime(),
                       lambda text: parse_iso(text) if text else BEFORE_ANY_EVENT)


def migrate_event_time_to_text(table: str, keys: tuple[str, ...]) -> None:
    """The way back from `migrate_event_time_to_datetime`: ISO 8601 text, as envelopes write it."""
    _retype_event_time(table, keys, UtcDateTime(), sa.String(length=40), iso)


def _retype_event_time(table: str, keys: tuple[str, ...], old_type, new_type, convert) -> None:
    """Add the new column beside the old, copy each row's value across converted, then drop the old
    and give the new its name (SQLite rebuilds the table for that; PostgreSQL alters it)."""
    from alembic import op  # only migrations need it

    storage = new_type.impl if isinstance(new_type, UtcDateTime) else new_type
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("event_time_new", storage, nullable=True))
    rows = sa.table(table, *(sa.column(key) for key in keys), sa.column("event_time", old_type),
                    sa.column("event_time_new", new_type))
    bind = op.get_bind()
    found = bind.execute(sa.select(*(rows.c[key] for key in keys), rows.c.event_time)).all()
    if found:
        match = sa.and_(*(rows.c[key] == sa.bindparam(f"key_{key}") for key in keys))
        bind.execute(rows.update().where(match).values(event_time_new=sa.bindparam("converted")),
                     [{**{f"key_{key}": row[i] for i, key in enumerate(keys)}, "converted": convert(row[-1])}
                      for row in found])
    with op.batch_alter_table(table) as batch:
        batch.drop_column("event_time")
        batch.alter_column("event_time_new", new_column_name="event_time", existing_type=storage, nullable=False)
