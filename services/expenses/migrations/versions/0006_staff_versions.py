"""Which staff tokens are revoked: accounts' token versions, from registration's events
(shared/staff_projection.py).

Revision ID: expenses_0006
Revises: expenses_0005
"""

from shared.staff_projection import create_staff_versions_table, drop_staff_versions_table

revision = "expenses_0006"
down_revision = "expenses_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_staff_versions_table()


def downgrade() -> None:
    drop_staff_versions_table()
