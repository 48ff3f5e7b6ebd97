"""The outbox and the inbox.

Revision ID: learning_0001
Revises:
"""

from shared.migrations import create_bus_tables

revision = "learning_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_bus_tables()


def downgrade() -> None:
    from alembic import op

    op.drop_table("inbox")
    op.drop_index("ix_outbox_unsent", table_name="outbox")
    op.drop_table("outbox")
