"""The apply journey's answers kept server-side (`apply_drafts`), no longer in the session cookie:
a row per unfinished application, found by the hash of the id the cookie holds, encrypted, and
deleted when sent or after 2 hours of no activity.

Revision ID: registration_0008
Revises: registration_0007
"""

import sqlalchemy as sa
from alembic import op

#: shared.db.UtcDateTime stores this type; the conversion to UTC happens in Python
MOMENT = sa.DateTime(timezone=True)

revision = "registration_0008"
down_revision = "registration_0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apply_drafts",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.LargeBinary(), nullable=False),
        sa.Column("used_at", MOMENT, nullable=False),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_apply_drafts")),
    )
    op.create_index(op.f("ix_apply_drafts_used_at"), "apply_drafts", ["used_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_apply_drafts_used_at"), table_name="apply_drafts")
    op.drop_table("apply_drafts")
