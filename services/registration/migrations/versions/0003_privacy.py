"""Privacy: subject access and erasure requests with each service's answer, the programme's end
that retention counts from, and when an application's personal data was erased (docs/privacy.md).

Revision ID: registration_0003
Revises: registration_0002
"""

import sqlalchemy as sa
from alembic import op

from shared.privacy import create_programme_end_table

#: shared.db.UtcDateTime stores this type; the conversion to UTC happens in Python
MOMENT = sa.DateTime(timezone=True)

revision = "registration_0003"
down_revision = "registration_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_programme_end_table()
    op.create_table(
        "privacy_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("subject_key", sa.String(length=64), nullable=True),
        sa.Column("received_at", MOMENT, nullable=False),
        sa.Column("due_at", MOMENT, nullable=False),
        sa.Column("completed_at", MOMENT, nullable=True),
        sa.Column("requested_by", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('access', 'erasure')", name=op.f("ck_privacy_requests_kind_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_requests")),
    )
    op.create_table(
        "privacy_answers",
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("service", sa.String(length=20), nullable=False),
        sa.Column("answered_at", MOMENT, nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["privacy_requests.id"],
                                name=op.f("fk_privacy_answers_request_id_privacy_requests"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("request_id", "service", name=op.f("pk_privacy_answers")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("erased_at", MOMENT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("erased_at")
    op.drop_table("privacy_answers")
    op.drop_table("privacy_requests")
    op.drop_table("programme_end")
