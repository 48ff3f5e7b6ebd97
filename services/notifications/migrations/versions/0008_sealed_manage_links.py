"""Manage links kept sealed, and masked in stored messages (issue 14): `manage_link.token` becomes
`sealed` (the token under the link key, shared/link_seal.py), `hint` (its first three characters)
and `event_time`; each stored message body and calendar file shows its manage links masked
(`…/manage/abc…`), and `message.link_of` names the application whose link the sender puts back in.

Runs on SQLite and PostgreSQL alike: rows are read and rewritten in Python, a few hundred at a time.
The way back restores the tokens from their seals; stored bodies stay masked (their messages were
sent, and a resend puts the working link in again only with `link_of`, which goes with it).

Revision ID: notifications_0008
Revises: notifications_0007
"""

import re

import sqlalchemy as sa
from alembic import context, op

from services.notifications.operations.calendar import with_unfolded_text
from shared.db import UtcDateTime
from shared.link_seal import seal, unseal
from shared.projections import BEFORE_ANY_EVENT

revision = "notifications_0008"
down_revision = "notifications_0007"
branch_labels = None
depends_on = None

BATCH = 500
#: a manage link's token as of this revision: anything of four characters or more after the path
LINK = re.compile(r"(/(?:registration|learning|expenses)/manage/)([A-Za-z0-9_-]{4,200})")
WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{1,200}")

links = sa.table("manage_link", sa.column("application_id", sa.Integer), sa.column("token", sa.String),
                 sa.column("sealed", sa.String), sa.column("hint", sa.String), sa.column("event_time", UtcDateTime()))
messages = sa.table("message", sa.column("id", sa.Integer), sa.column("text_body", sa.Text),
                    sa.column("html_body", sa.Text), sa.column("link_of", sa.Integer))
attachments = sa.table("attachment", sa.column("id", sa.Integer), sa.column("message_id", sa.Integer),
                       sa.column("content_type", sa.String), sa.column("content", sa.LargeBinary))


def _settings():
    return context.config.attributes["runtime"].settings


def _masked(text: str, found: set[str]) -> str:
    def mask(match) -> str:
        found.add(match.group(2))
        return match.group(1) + match.group(2)[:3] + "\u2026"
    return LINK.sub(mask, text)


def upgrade() -> None:
    settings, bind = _settings(), op.get_bind()
    with op.batch_alter_table("manage_link") as batch:
        batch.add_column(sa.Column("sealed", sa.String(length=400), nullable=True))
        batch.add_column(sa.Column("hint", sa.String(length=3), nullable=True))
        batch.add_column(sa.Column("event_time", sa.DateTime(timezone=True), nullable=True))
    owners = {}
    for application_id, token in bind.execute(sa.select(links.c.application_id, links.c.token)).all():
        if not WELL_FORMED.fullmatch(token or ""):
            bind.execute(links.delete().where(links.c.application_id == application_id))
            continue
        owners[token] = application_id
        bind.execute(links.update().where(links.c.application_id == application_id).values(
            sealed=seal(settings, token), hint=token[:3], event_time=BEFORE_ANY_EVENT))
    with op.batch_alter_table("manage_link") as batch:
        batch.drop_column("token")
        batch.alter_column("sealed", existing_type=sa.String(length=400), nullable=False)
        batch.alter_column("hint", existing_type=sa.String(length=3), nullable=False)
        batch.alter_column("event_time", existing_type=sa.DateTime(timezone=True), nullable=False)

    with op.batch_alter_table("message") as batch:
        batch.add_column(sa.Column("link_of", sa.Integer(), nullable=True))
    _mask_messages(bind, owners)
    _mask_calendars(bind)


def _mask_messages(bind, owners: dict[str, int]) -> None:
    last = 0
    while rows := bind.execute(sa.select(messages.c.id, messages.c.text_body, messages.c.html_body)
                               .where(messages.c.id > last).order_by(messages.c.id).limit(BATCH)).all():
        for message_id, text_body, html_body in rows:
            found: set[str] = set()
            text, html = _masked(text_body, found), _masked(html_body, found)
            if found:
                link_of = next((owners[token] for token in found if token in owners), None)
                bind.execute(messages.update().where(messages.c.id == message_id)
                             .values(text_body=text, html_body=html, link_of=link_of))
        last = rows[-1][0]


def _mask_calendars(bind) -> None:
    last = 0
    while rows := bind.execute(sa.select(attachments.c.id, attachments.c.content)
                               .where(attachments.c.id > last, attachments.c.content_type == "text/calendar")
                               .order_by(attachments.c.id).limit(BATCH)).all():
        for attachment_id, content in rows:
            found: set[str] = set()
            masked = with_unfolded_text(bytes(content), lambda text, found=found: _masked(text, found))
            if found:
                bind.execute(attachments.update().where(attachments.c.id == attachment_id).values(content=masked))
        last = rows[-1][0]


def downgrade() -> None:
    settings, bind = _settings(), op.get_bind()
    with op.batch_alter_table("message") as batch:
        batch.drop_column("link_of")
    with op.batch_alter_table("manage_link") as batch:
        batch.add_column(sa.Column("token", sa.String(length=200), nullable=True))
    for application_id, sealed in bind.execute(sa.select(links.c.application_id, links.c.sealed)).all():
        token = unseal(settings, sealed)
        if token is None:
            bind.execute(links.delete().where(links.c.application_id == application_id))
        else:
            bind.execute(links.update().where(links.c.application_id == application_id).values(token=token))
    with op.batch_alter_table("manage_link") as batch:
        batch.drop_column("sealed")
        batch.drop_column("hint")
        batch.drop_column("event_time")
        batch.alter_column("token", existing_type=sa.String(length=200), nullable=False)
