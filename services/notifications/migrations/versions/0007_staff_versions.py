"""Which staff tokens are revoked: accounts' token versions, from registration's events
(shared/staff_projection.py).

Revision ID: notifications_0007
Revises: notifications_0006
"""

from shared.staff_projection import create_staff_versions_table, drop_staff_versions_table

revision = "notifications_0007"
down_revision = "notifications_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_staff_versions_table()


def downgrade() -> None:
    drop_staff_versions_table()
