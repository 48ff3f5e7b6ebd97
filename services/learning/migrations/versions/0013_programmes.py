"""The programmes, from registration's events (shared/programme_projection.py).

Revision ID: learning_0013
Revises: learning_0012
"""

from shared.programme_projection import create_programmes_table, drop_programmes_table

revision = "learning_0013"
down_revision = "learning_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_programmes_table()


def downgrade() -> None:
    drop_programmes_table()
