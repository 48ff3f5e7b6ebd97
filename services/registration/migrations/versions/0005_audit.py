"""The audit log: every change a member of staff makes in registration, append-only (shared/audit.py).

Revision ID: registration_0005
Revises: registration_0004
"""

from shared.audit import create_audit_table, drop_audit_table

revision = "registration_0005"
down_revision = "registration_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_table()


def downgrade() -> None:
    drop_audit_table()
