"""Feedback comments a theme lead picks for the pack (`feedback.in_pack`), and participants who sign
their exchange's summary (`summary_signature`) (issue 16: the paths built in name only).

Revision ID: learning_0008
Revises: learning_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "learning_0008"
down_revision = "learning_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.add_column(sa.Column("in_pack", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "summary_signature",
        sa.Column("exchange_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("application_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("exchange_id", "application_id", name=op.f("pk_summary_signature")),
    )


def downgrade() -> None:
    op.drop_table("summary_signature")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("in_pack")
