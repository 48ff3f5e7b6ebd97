"""The programme's end as registration announces it, which retention counts from (docs/privacy.md).

Revision ID: expenses_0003
Revises: expenses_0002
"""

from alembic import op

from shared.privacy import create_programme_end_table

revision = "expenses_0003"
down_revision = "expenses_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_programme_end_table()


def downgrade() -> None:
    op.drop_table("programme_end")
