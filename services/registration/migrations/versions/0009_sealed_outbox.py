"""Manage links (issue 14): the outbox's booking events rewritten to carry the manage token sealed
(`manage_token_sealed`, shared/link_seal.py) instead of in clear, sent or not: an unsent one still
gives notifications the link, and no stored row keeps the token readable.

Revision ID: registration_0009
Revises: registration_0008
"""

import json

import sqlalchemy as sa
from alembic import context, op

from shared.bus import dumps
from shared.link_seal import seal

revision = "registration_0009"
down_revision = "registration_0008"
branch_labels = None
depends_on = None

BATCH = 500
outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("type", sa.String), sa.column("envelope", sa.Text))


def upgrade() -> None:
    _seal_outbox(context.config.attributes["runtime"].settings, op.get_bind())


def _seal_outbox(settings, bind) -> None:
    last = 0
    while rows := bind.execute(sa.select(outbox.c.id, outbox.c.envelope)
                               .where(outbox.c.id > last, outbox.c.type.like("registration.booking.%"))
                               .order_by(outbox.c.id).limit(BATCH)).all():
        for row_id, text in rows:
            envelope = json.loads(text)
            token = envelope.get("data", {}).pop("manage_token", None)
            if token is None:
                continue
            envelope["data"]["manage_token_sealed"] = seal(settings, token)
            bind.execute(outbox.update().where(outbox.c.id == row_id).values(envelope=dumps(envelope)))
        last = rows[-1][0]


def downgrade() -> None:
    # The outbox keeps its sealed tokens: notifications before issue 14 reads only `manage_token`,
    # so an event still unsent then goes without its link rather than with the token in clear.
    return None
