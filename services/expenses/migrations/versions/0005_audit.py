"""The audit log: every change a member of staff makes in expenses, append-only (shared/audit.py).

Revision ID: expenses_0005
Revises: expenses_0004
"""

from shared.audit import create_audit_table, drop_audit_table

revision = "expenses_0005"
down_revision = "expenses_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_audit_table()


def downgrade() -> None:
    drop_audit_table()
