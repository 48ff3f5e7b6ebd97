"""The language a summary version, a reflection and a feedback comment were written in (issue 16,
"a summary written in one language is shown in that language, marked"): pages and packs in the
other language mark the text with its `lang`. Rows written before this were written in English.

Revision ID: learning_0012
Revises: learning_0011
"""

import sqlalchemy as sa
from alembic import op

revision = "learning_0012"
down_revision = "learning_0011"
branch_labels = None
depends_on = None

TABLES = ("summary_version", "reflection", "feedback")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("language", sa.String(2), nullable=False, server_default="en"))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "language")
