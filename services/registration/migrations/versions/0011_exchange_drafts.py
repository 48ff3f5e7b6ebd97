"""Exchanges saved as drafts (issue 15): a draft is kept out of the catalogue, cannot be booked and
is not announced on the bus until the programme team publishes it. Every existing exchange was
published when it was made, so existing rows are not drafts.

Revision ID: registration_0011
Revises: registration_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "registration_0011"
down_revision = "registration_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table rebuild on SQLite, so the exchange's CHECKs stay as they are)
    op.add_column("exchanges", sa.Column("draft", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("exchanges") as batch:
        batch.drop_column("draft")
