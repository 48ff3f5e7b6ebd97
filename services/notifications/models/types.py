"""Column types shared by notifications' tables (times use `shared.db.UtcDateTime`, as everywhere)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer

#: 64-bit ids on PostgreSQL; SQLite autoincrements only INTEGER primary keys
BigId = BigInteger().with_variant(Integer, "sqlite")
