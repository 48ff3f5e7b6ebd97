"""A database's rows as JSON, and back: fixtures of an older schema for migration tests.

`dump(runtime)` writes every table's rows (but alembic's own) with the revision they were read at;
`load(runtime, fixture)` migrates an empty database to that revision, inserts the rows, and leaves
the upgrade to the test. Moments, dates and bytes are tagged so they come back as they were, on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext

from .migrations import upgrade
from .service import Runtime

SKIPPED = {"alembic_version"}


def _plain(value):
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    return value


def _typed(value):
    if not isinstance(value, dict) or len(value) != 1:
        return value
    (tag, text), = value.items()
    return {"datetime": datetime.fromisoformat, "date": date.fromisoformat, "decimal": Decimal,
            "bytes": lambda b: base64.b64decode(b)}.get(tag, lambda _: value)(text)


def dump(runtime: Runtime) -> dict:
    metadata = sa.MetaData()
    with runtime.engine.connect() as connection:
        metadata.reflect(connection)
        revision, = MigrationContext.configure(connection).get_current_heads()
        tables = {table.name: [{key: _plain(value) for key, value in row._mapping.items()}
                               for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns))]
                  for table in metadata.sorted_tables if table.name not in SKIPPED}
    return {"revision": revision, "tables": tables}


def load(runtime: Runtime, fixture: dict) -> None:
    upgrade(runtime, fixture["revision"])
    metadata = sa.MetaData()
    with runtime.engine.begin() as connection:
        metadata.reflect(connection)
        for table in metadata.sorted_tables:  # parents before the rows that point at them
            rows = fixture["tables"].get(table.name)
            if rows:
                connection.execute(table.insert(), [{key: _typed(value) for key, value in row.items()} for row in rows])
        if connection.dialect.name == "postgresql":  # the sequences go on after the loaded ids
            for table in metadata.sorted_tables:
                for column in table.primary_key.columns:
                    sequence = connection.scalar(sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                                                 {"table": table.name, "column": column.name})
                    if sequence is not None:
                        highest = connection.scalar(sa.select(sa.func.max(column))) or 0
                        connection.execute(sa.text("SELECT setval(:sequence, :next, false)"),
                                           {"sequence": sequence, "next": highest + 1})

def counts(runtime: Runtime) -> dict[str, int]:
    """Rows per table (alembic's aside)."""
    metadata = sa.MetaData()
    with runtime.engine.connect() as connection:
        metadata.reflect(connection)
        return {table.name: connection.scalar(sa.select(sa.func.count()).select_from(table))
                for table in metadata.sorted_tables if table.name not in SKIPPED}
