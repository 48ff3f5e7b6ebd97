"""The exchange's theme, from registration's exchange events: messages to a theme's participants
(operations/messages_to_people.py) find them through it. Null until the exchange's next event
(a booking's brief does not carry it).

Revision ID: notifications_0009
Revises: notifications_0008
"""

import sqlalchemy as sa
from alembic import op

revision = "notifications_0009"
down_revision = "notifications_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange") as batch:
        batch.add_column(sa.Column("theme", sa.String(length=40), nullable=True))
        batch.create_index("ix_exchange_theme", ["theme"])


def downgrade() -> None:
    with op.batch_alter_table("exchange") as batch:
        batch.drop_index("ix_exchange_theme")
        batch.drop_column("theme")
