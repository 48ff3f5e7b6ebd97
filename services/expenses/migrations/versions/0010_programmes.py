"""The programmes, from registration's events (shared/programme_projection.py).

Revision ID: expenses_0010
Revises: expenses_0009
"""

from shared.programme_projection import create_programmes_table, drop_programmes_table

revision = "expenses_0010"
down_revision = "expenses_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_programmes_table()


def downgrade() -> None:
    drop_programmes_table()
