"""Welsh beside what the programme team and hosts write: optional `*_cy` columns on themes,
sub-themes and exchanges (CONTRACT.md, "Content in Welsh and English"). Existing rows have none:
their Welsh pages show the English text, marked lang="en".

Revision ID: registration_0012
Revises: registration_0011
"""

import sqlalchemy as sa
from alembic import op

revision = "registration_0012"
down_revision = "registration_0011"
branch_labels = None
depends_on = None

COLUMNS = {
    "themes": [("title_cy", sa.String(300))],
    "subthemes": [("title_cy", sa.String(300))],
    "exchanges": [("title_cy", sa.String(300)), ("site_cy", sa.String(300)), ("description_cy", sa.Text()),
                  ("learning_outcomes_cy", sa.Text()), ("time_commitment_cy", sa.String(300))],
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, kind in columns:
                batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, _kind in reversed(columns):
                batch_op.drop_column(name)
