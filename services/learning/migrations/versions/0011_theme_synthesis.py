"""The theme lead's synthesis of a theme (issue 16, "Theme leads consolidate"): key messages,
questions for the workshop and draft actions, each with its optional Welsh, kept in versions; the
theme's pack uses the published one.

Revision ID: learning_0011
Revises: learning_0010
"""

import sqlalchemy as sa
from alembic import op

revision = "learning_0011"
down_revision = "learning_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme_synthesis",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("theme", sa.String(20), nullable=False, unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "theme_synthesis_version",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("synthesis_id", sa.Integer(), sa.ForeignKey("theme_synthesis.id"), nullable=False, index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        *[sa.Column(name, sa.JSON(), nullable=False) for name in (
            "key_messages", "key_messages_cy", "workshop_questions", "workshop_questions_cy", "actions", "actions_cy")],
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("synthesis_id", "number"),
    )


def downgrade() -> None:
    op.drop_table("theme_synthesis_version")
    op.drop_table("theme_synthesis")
