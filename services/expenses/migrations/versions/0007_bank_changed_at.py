"""When a claim's bank details were replaced with others: finance sees the claim flagged.

Revision ID: expenses_0007
Revises: expenses_0006
"""

import sqlalchemy as sa
from alembic import op

revision = "expenses_0007"
down_revision = "expenses_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bank_changed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("bank_changed_at")
