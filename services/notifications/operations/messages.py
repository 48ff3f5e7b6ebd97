"""Recording a message: render it and add its row (pending); the send job delivers it later.

Handlers, reminders and announcements all come here. Nothing here talks to SMTP. One message per
(event, recipient, template): asking again for the same one adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.worker import wake_after_commit

from ..config import MailSettings
from ..models import Attachment, Message
from .language_links import with_language
from .rendering import render


@dataclass(frozen=True)
class File:
    filename: str
    content_type: str
    content: bytes


def queue_message(session: Session, mail: MailSettings, *, event_id: str, to: str, template: str,
                  language: str, context: dict, file: str | None = None,
                  attachments: tuple[File, ...] = (), link_of: int | None = None) -> Message | None:
    """Render `template` (from the template file `file`, default the same name) for `to` and add
    it as a pending message; None when this event already has that message for that person.
    `link_of`: the application whose manage link the context gives masked (operations/links.py)."""
    with session.no_autoflush:  # the batch's rows go in together at the commit, not one flush per message
        existing = session.scalar(select(Message.id).where(
            Message.event_id == event_id, Message.recipient == to, Message.template == template))
    if existing is not None:
        return None
    rendered = render(file or template, language, contact=mail.contact, **context)
    message = Message(
        event_id=event_id, recipient=to, template=template, language=language,
        subject=rendered.subject,
        text_body=with_language(rendered.text, mail.public_url, language, html=False),
        html_body=with_language(rendered.html, mail.public_url, language, html=True),
        message_id_header=make_msgid(domain=mail.sender_domain), link_of=link_of,
        attachments=[Attachment(filename=a.filename, content_type=a.content_type, content=a.content)
                     for a in attachments],
    )
    session.add(message)
    wake_after_commit(session, "send")  # the send job takes it as soon as this commits
    return message


def resend(session: Session, original: Message, event_id: str) -> Message:
    """A new pending copy of `original` (its text as first written, with the manage link as it is
    now), keeping the old one."""
    copy = Message(
        event_id=event_id, recipient=original.recipient, template=original.template,
        language=original.language, subject=original.subject, text_body=original.text_body,
        html_body=original.html_body, message_id_header=make_msgid(domain=original.message_id_header
                                                                   .rpartition("@")[2].rstrip(">")),
        resend_of=original.id, link_of=original.link_of,
        attachments=[Attachment(filename=a.filename, content_type=a.content_type, content=a.content)
                     for a in original.attachments],
    )
    session.add(copy)
    session.flush()
    wake_after_commit(session, "send")
    return copy
