"""Column types shared by notifications' tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, Integer
from sqlalchemy.types import TypeDecorator

#: 64-bit ids on PostgreSQL; SQLite autoincrements only INTEGER primary keys
BigId = BigInteger().with_variant(Integer, "sqlite")


class UtcDateTime(TypeDecorator):
    """A moment, stored in UTC and read back aware.

    SQLite keeps no offset (it would store 09:30+01:00 as 09:30), so every value is converted to
    UTC on the way in and marked UTC on the way out; comparisons in SQL then hold on both databases.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no place in notifications' tables")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
