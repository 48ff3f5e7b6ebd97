"""The delivery log staff read: every message recorded, newest first, and a resend of one.

The caller (a view) commits once. Messages are only recorded here; the send job delivers them.
"""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared import audit
from shared.errors import ApiError

from ..models import Message
from . import messages

#: rows shown on one page of the delivery log
LOG_PAGE = 100
#: messages that carry a set-password link: the log shows that they went, never their text, or an
#: admin reading the log could take over the account the link opens
PRIVATE_TEMPLATES = ("staff_invitation", "password_reset")


def delivery_log(session: Session, to: str | None = None, exact: bool = False) -> list[Message]:
    """Newest first; `to` matches the recipient case-insensitively (part of it unless `exact`)."""
    query = select(Message).order_by(Message.id.desc())
    if to:
        recipient = func.lower(Message.recipient)
        query = query.where(recipient == to.lower() if exact else recipient.contains(to.lower(), autoescape=True))
    if not exact:
        query = query.limit(LOG_PAGE)
    return list(session.scalars(query))


def get_message(session: Session, message_id: int) -> Message:
    message = session.get(Message, message_id)
    if message is None:
        raise ApiError(404, _("Not found."))
    return message


def resend(session: Session, message_id: int, staff=None) -> Message:
    """A new pending copy of a message; the original stays in the log as it was."""
    copy = messages.resend(session, get_message(session, message_id), event_id=f"resend:{uuid.uuid4()}")
    if staff is not None:  # the message, not its recipient: erasing them deletes it and leaves this row anonymous
        session.flush()
        audit.record(session, staff, "message.resent", ("message", message_id), None, {"copy": copy.id})
    return copy
