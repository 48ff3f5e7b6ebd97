"""Which staff tokens are revoked: accounts' token versions, from registration's events
(shared/staff_projection.py).

Revision ID: learning_0006
Revises: learning_0005
"""

from shared.staff_projection import create_staff_versions_table, drop_staff_versions_table

revision = "learning_0006"
down_revision = "learning_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_staff_versions_table()


def downgrade() -> None:
    drop_staff_versions_table()
