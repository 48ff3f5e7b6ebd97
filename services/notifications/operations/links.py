"""Manage links in notifications: kept sealed, written masked, opened only at the moment of sending.

An application's token arrives sealed (shared/link_seal.py) on the events its own requests raise
and on `registration.application.link_replaced`; `remember` keeps the newest seal in
`manage_link`, with the token's first three characters. A message is rendered with the link
masked (`https://…/registration/manage/abc…`, `masked_token`) and stored so, with `link_of` naming
the application: the delivery log, its pages and subject-access exports show only that. The
sender opens the seal of the application's current link and puts the working link into the
outgoing copy (`outgoing`), so a message still waiting when the link is replaced goes out with
the new one, and a resend carries the link as it is now.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.link_seal import seal, unseal
from shared.manage_tokens import MASK_KEEPS, masked, unmask_links
from shared.projections import pending_or_stored, upsert_if_newer

from ..models import ManageLink, Message
from .calendar import CONTENT_TYPE, with_unfolded_text
from .messages import File

log = logging.getLogger(__name__)


def remember(session: Session, application_id: int, as_of: datetime, sealed: str | None = None,
             clear: str | None = None) -> ManageLink | None:
    """Keep the seal an event carried, unless a newer event's is kept already; returns the link now
    known for the application (None: none yet). `clear` is the token as events published before
    links were sealed carried it: sealed here, and kept only so."""
    settings = session.info["kx_settings"]
    if sealed is None and clear is not None:
        sealed = seal(settings, clear)
    token = unseal(settings, sealed) if sealed else None
    if sealed and token is None:
        log.warning("application %d: a manage link the link key does not open was ignored", application_id)
    if token is None:
        return pending_or_stored(session, ManageLink, {"application_id": application_id})
    row, _applied = upsert_if_newer(session, ManageLink, {"application_id": application_id}, as_of,
                                    {"sealed": sealed, "hint": token[:MASK_KEEPS]})
    return row


def known(session: Session, application_id: int) -> ManageLink | None:
    return session.get(ManageLink, application_id)


def masked_token(link: ManageLink | None) -> str | None:
    """What a stored message puts where the token goes (`abc…`); None without a link."""
    return masked(link.hint) if link is not None else None


def opened(session: Session, messages: list[Message]) -> dict[int, str | None]:
    """The tokens of the links these messages carry, by application id (None: cannot be opened).
    Called by the sender as it claims the messages; the tokens live only in its memory."""
    ids = {m.link_of for m in messages if m.link_of is not None}
    if not ids:
        return {}
    settings = session.info["kx_settings"]
    seals = dict(session.execute(select(ManageLink.application_id, ManageLink.sealed)
                                 .where(ManageLink.application_id.in_(ids))).all())
    return {application_id: unseal(settings, seals.get(application_id)) for application_id in ids}


@dataclass(frozen=True)
class Outgoing:
    """A message as it goes out: its stored row with the working link put in (`mime.build` reads it)."""

    recipient: str
    subject: str
    language: str
    text_body: str
    html_body: str
    message_id_header: str
    attachments: tuple[File, ...]


def outgoing(message: Message, token: str) -> Outgoing:
    return Outgoing(
        recipient=message.recipient, subject=message.subject, language=message.language,
        text_body=unmask_links(message.text_body, token), html_body=unmask_links(message.html_body, token),
        message_id_header=message.message_id_header,
        attachments=tuple(File(a.filename, a.content_type, _unmasked_file(a.content_type, a.content, token))
                          for a in message.attachments))


def _unmasked_file(content_type: str, content: bytes, token: str) -> bytes:
    if content_type != CONTENT_TYPE:
        return content
    return with_unfolded_text(content, lambda text: unmask_links(text, token))
