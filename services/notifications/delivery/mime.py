"""A message row as an email: headers, plain text and HTML alternatives, attachments."""

from __future__ import annotations

from datetime import datetime
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from ..config import MailSettings
from ..models import Message
from .errors import PermanentFailure


def check_address(address: str) -> None:
    """Raise PermanentFailure when `address` cannot be a recipient (nothing is sent then)."""
    local, at, domain = address.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() or c in "<>,;\"()" for c in address):
        raise PermanentFailure("invalid address")
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError, MessageError):
        raise PermanentFailure("invalid address") from None


def build(message: Message, mail: MailSettings, now: datetime) -> EmailMessage:
    email = EmailMessage()
    email["From"] = mail.sender
    email["To"] = message.recipient
    if mail.reply_to:
        email["Reply-To"] = mail.reply_to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message.message_id_header
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay quiet
    email["Content-Language"] = message.language
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        params = {"method": "PUBLISH"} if attachment.content_type == "text/calendar" else {}
        email.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                             filename=attachment.filename, params=params)
    return email
