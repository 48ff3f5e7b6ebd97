"""The programmes, from registration's events (shared/programme_projection.py).

Revision ID: notifications_0012
Revises: notifications_0011
"""

from shared.programme_projection import create_programmes_table, drop_programmes_table

revision = "notifications_0012"
down_revision = "notifications_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_programmes_table()


def downgrade() -> None:
    drop_programmes_table()
