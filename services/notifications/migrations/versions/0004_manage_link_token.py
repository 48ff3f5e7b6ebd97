"""Manage links are remembered as the token (booking events carry `manage_token` now), so that
every link a message gives is built from it by shared/manage_tokens.py rather than parsed out of
another link.

Revision ID: notifications_0004
Revises: notifications_0003
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "notifications_0004"
down_revision = "notifications_0003"
branch_labels = None
depends_on = None

PREFIX = "/registration/manage/"
#: what shared/manage_tokens.py accepts as a token (as of this revision); a link to anything else is dropped
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,200}")
manage_link = sa.table("manage_link", sa.column("application_id", sa.Integer), sa.column("url", sa.String),
                       sa.column("token", sa.String))


def upgrade() -> None:
    connection = op.get_bind()
    for application_id, url in connection.execute(sa.select(manage_link.c.application_id, manage_link.c.url)).all():
        token = url.rstrip("/").rpartition(PREFIX)[2]  # the last time a link is taken apart
        if PREFIX not in url or not TOKEN.fullmatch(token):
            connection.execute(manage_link.delete().where(manage_link.c.application_id == application_id))
        else:
            connection.execute(manage_link.update().where(manage_link.c.application_id == application_id)
                               .values(url=token))
    with op.batch_alter_table("manage_link") as batch:
        batch.alter_column("url", new_column_name="token", type_=sa.String(length=200),
                           existing_type=sa.String(length=500), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("manage_link") as batch:
        batch.alter_column("token", new_column_name="url", type_=sa.String(length=500),
                           existing_type=sa.String(length=200), existing_nullable=False)
    connection = op.get_bind()
    connection.execute(manage_link.update().values(url=PREFIX + manage_link.c.url))
