"""The projections' `as_of` is called `event_time`, as in every service's projections
(shared/projections.py); it was a moment already.

Revision ID: notifications_0005
Revises: notifications_0004
"""

from alembic import op

revision = "notifications_0005"
down_revision = "notifications_0004"
branch_labels = None
depends_on = None

TABLES = ("booking", "exchange")


def upgrade() -> None:
    # A plain rename, which PostgreSQL and SQLite both take: rebuilding `booking` on SQLite would
    # drop a table that reminders' foreign keys point at.
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RENAME COLUMN as_of TO event_time")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} RENAME COLUMN event_time TO as_of")
