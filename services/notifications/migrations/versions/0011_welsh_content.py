"""Welsh content (CONTRACT.md "Content in Welsh and English"): the exchange's Welsh title and
site, from registration's events, so that messages in Welsh name the exchange in Welsh (null until
the exchange's next event: a message then names it in English); and the host's joining
information in Welsh beside each part, optional.

Revision ID: notifications_0011
Revises: notifications_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0011"
down_revision = "notifications_0010"
branch_labels = None
depends_on = None

ANNOUNCEMENT_PARTS = ("contacts", "timings", "venue", "access")


def upgrade() -> None:
    with op.batch_alter_table("exchange") as batch:
        batch.add_column(sa.Column("title_cy", sa.String(length=300), nullable=True))
        batch.add_column(sa.Column("site_cy", sa.String(length=300), nullable=True))
    with op.batch_alter_table("announcement") as batch:
        for part in ANNOUNCEMENT_PARTS:
            batch.add_column(sa.Column(f"{part}_cy", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("announcement") as batch:
        for part in reversed(ANNOUNCEMENT_PARTS):
            batch.drop_column(f"{part}_cy")
    with op.batch_alter_table("exchange") as batch:
        batch.drop_column("site_cy")
        batch.drop_column("title_cy")
