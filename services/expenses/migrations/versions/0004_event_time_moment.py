"""Projections keep their event's time as a moment, not as the envelope's text, which compares
by its characters and so orders one instant written with two offsets wrongly (shared/projections.py).

Revision ID: expenses_0004
Revises: expenses_0003
"""

from shared.projections import migrate_event_time_to_datetime, migrate_event_time_to_text

revision = "expenses_0004"
down_revision = "expenses_0003"
branch_labels = None
depends_on = None

#: each projection table and its primary key
TABLES = {
    "attendance": ("exchange_id", "application_id", "stage"),
    "claimants": ("application_id",),
    "exchanges": ("id",),
}


def upgrade() -> None:
    for table, keys in TABLES.items():
        migrate_event_time_to_datetime(table, keys)


def downgrade() -> None:
    for table, keys in TABLES.items():
        migrate_event_time_to_text(table, keys)
