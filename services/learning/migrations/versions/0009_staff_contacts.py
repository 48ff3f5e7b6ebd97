"""Staff accounts' email addresses and languages, so that a theme's pack is built, and its
pack-ready email sent, in the language of each person told of it (shared/staff_projection.py,
issues 15 and 16).

Revision ID: learning_0009
Revises: learning_0008
"""

from shared.staff_projection import create_staff_contacts_table, drop_staff_contacts_table

revision = "learning_0009"
down_revision = "learning_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_staff_contacts_table()


def downgrade() -> None:
    drop_staff_contacts_table()
