"""The audit log: every change a member of staff makes in notifications, append-only (shared/audit.py).

Revision ID: notifications_0006
Revises: notifications_0005
"""

from shared.audit import create_audit_table, drop_audit_table

revision = "notifications_0006"
down_revision = "notifications_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_table()


def downgrade() -> None:
    drop_audit_table()
