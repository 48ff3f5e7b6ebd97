"""Staff accounts for a real deployment: each account's status (invited, active, disabled), the
language of its emails and its token version, a password only once one is set, and single-use
set-password links (invitations and resets) kept as hashes.

Accounts that exist already (the demo's) have a password: they are active.

Revision ID: registration_0006
Revises: registration_0005
"""

import sqlalchemy as sa
from alembic import op

#: shared.db.UtcDateTime stores this type; the conversion to UTC happens in Python
MOMENT = sa.DateTime(timezone=True)

revision = "registration_0006"
down_revision = "registration_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch: SQLite rebuilds the table to make the password optional and add the checks
    with op.batch_alter_table("staff_accounts") as batch:
        batch.alter_column("password_hash", existing_type=sa.String(length=200), nullable=True)
        batch.add_column(sa.Column("status", sa.String(length=10), nullable=False, server_default="active"))
        batch.add_column(sa.Column("language", sa.String(length=2), nullable=False, server_default="en"))
        batch.add_column(sa.Column("token_version", sa.Integer(), nullable=False, server_default="1"))
        batch.create_check_constraint(op.f("ck_staff_accounts_status_known"),
                                      "status IN ('invited', 'active', 'disabled')")
        batch.create_check_constraint(op.f("ck_staff_accounts_language_known"), "language IN ('en', 'cy')")
    # the models give these defaults; the server defaults only filled the rows already there
    with op.batch_alter_table("staff_accounts") as batch:
        batch.alter_column("status", server_default=None)
        batch.alter_column("language", server_default=None)
        batch.alter_column("token_version", server_default=None)
    op.create_table(
        "staff_password_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.Column("expires_at", MOMENT, nullable=False),
        sa.Column("used_at", MOMENT, nullable=True),
        sa.CheckConstraint("purpose IN ('invitation', 'reset')", name=op.f("ck_staff_password_links_purpose_known")),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_accounts.id"],
                                name=op.f("fk_staff_password_links_staff_id_staff_accounts"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_password_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_password_links_token_hash")),
    )
    op.create_index(op.f("ix_staff_password_links_staff_id"), "staff_password_links", ["staff_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_password_links_staff_id"), table_name="staff_password_links")
    op.drop_table("staff_password_links")
    op.execute("DELETE FROM staff_accounts WHERE password_hash IS NULL")
    with op.batch_alter_table("staff_accounts") as batch:
        batch.drop_constraint(op.f("ck_staff_accounts_language_known"), type_="check")
        batch.drop_constraint(op.f("ck_staff_accounts_status_known"), type_="check")
        batch.drop_column("token_version")
        batch.drop_column("language")
        batch.drop_column("status")
        batch.alter_column("password_hash", existing_type=sa.String(length=200), nullable=False)
