"""Welsh content (CONTRACT.md "Content in Welsh and English"): the exchange's Welsh title, site,
description and learning outcomes, from registration's events (null until the exchange's next
event), and a theme's title and aim in Welsh, which the programme team writes; packs in Welsh use
them where they are.

Revision ID: learning_0010
Revises: learning_0009
"""

import sqlalchemy as sa
from alembic import op

revision = "learning_0010"
down_revision = "learning_0009"
branch_labels = None
depends_on = None

COLUMNS = {
    "exchange": [("title_cy", sa.String(300)), ("site_cy", sa.String(300)), ("description_cy", sa.Text()),
                 ("learning_outcomes_cy", sa.JSON())],
    "theme": [("title_cy", sa.String(300)), ("aim_cy", sa.Text())],
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, kind in columns:
                batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for name, _kind in reversed(columns):
                batch.drop_column(name)
