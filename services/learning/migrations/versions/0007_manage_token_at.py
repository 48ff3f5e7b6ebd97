"""When an applicant's manage token hash was given (`applicant.manage_token_at`), so that a booking
event older than a replacement of the link never brings the old hash back (issue 14).

Revision ID: learning_0007
Revises: learning_0006
"""

import sqlalchemy as sa
from alembic import op

revision = "learning_0007"
down_revision = "learning_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applicant") as batch:
        batch.add_column(sa.Column("manage_token_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applicant") as batch:
        batch.drop_column("manage_token_at")
