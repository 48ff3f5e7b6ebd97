"""Payment runs, four eyes: a second finance user approves a run before its bank file can be taken.
A run confirmed before this step existed was released by a second person, who counts as its approver.

Revision ID: expenses_0009
Revises: expenses_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "expenses_0009"
down_revision = "expenses_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("payment_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("approved_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("approved_by_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE payment_runs SET approved_by = closed_by, approved_by_name = closed_by_name, "
               "approved_at = closed_at WHERE status = 'confirmed'")


def downgrade() -> None:
    op.execute("UPDATE payment_runs SET status = 'open' WHERE status = 'approved'")
    with op.batch_alter_table("payment_runs", schema=None) as batch_op:
        batch_op.drop_column("approved_at")
        batch_op.drop_column("approved_by_name")
        batch_op.drop_column("approved_by")
