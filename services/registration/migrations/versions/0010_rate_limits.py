"""Rate limits counted in the database, shared by every web process (shared/ratelimit.py):
applications per email and per address, failed sign-ins per address.

Revision ID: registration_0010
Revises: registration_0009
"""

from shared.ratelimit import create_rate_limits_table, drop_rate_limits_table

revision = "registration_0010"
down_revision = "registration_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_rate_limits_table()


def downgrade() -> None:
    drop_rate_limits_table()
