"""Staff accounts' email addresses and languages, so that each email to staff goes in the language
on its account, and finance are told of claims (shared/staff_projection.py, issue 16).

Revision ID: notifications_0010
Revises: notifications_0009
"""

from shared.staff_projection import create_staff_contacts_table, drop_staff_contacts_table

revision = "notifications_0010"
down_revision = "notifications_0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_staff_contacts_table()


def downgrade() -> None:
    drop_staff_contacts_table()
