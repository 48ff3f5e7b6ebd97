"""A message row as an email: headers, plain text and HTML alternatives, attachments, as the bytes
that go over SMTP (CRLF line ends).

The parts are written with the `email.mime` classes and the `compat32` policy: the same MIME
structure as `EmailMessage` with `email.policy.default` would give, at about a quarter of the
cost, because no header is parsed back into an object. Non-ASCII text is encoded (RFC 2047
headers, quoted-printable bodies), so the bytes are 7-bit. An address that is not ASCII needs
SMTPUTF8: such a message is written with `EmailMessage` and the `SMTPUTF8` policy instead, and
`needs_smtputf8` tells the sender to ask the server for it.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from email import charset as charsets
from email.encoders import encode_base64
from email.errors import MessageError
from email.generator import BytesGenerator
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import SMTPUTF8, compat32
from email.utils import format_datetime, formataddr, parseaddr
from io import BytesIO

from ..config import MailSettings
from ..models import Message
from .errors import PermanentFailure

#: UTF-8 bodies as quoted-printable: text stays readable in the raw message
_UTF8 = charsets.Charset("utf-8")
_UTF8.body_encoding = charsets.QP
_POLICY = compat32.clone(linesep="\r\n")


def check_address(address: str) -> None:
    """Raise PermanentFailure when `address` cannot be a recipient (nothing is sent then)."""
    local, at, domain = address.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() or c in "<>,;\"()" for c in address):
        raise PermanentFailure("invalid address")
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError, MessageError):
        raise PermanentFailure("invalid address") from None


def needs_smtputf8(message: Message, mail: MailSettings) -> bool:
    return not (message.recipient.isascii() and parseaddr(mail.sender)[1].isascii())


def build(message: Message, mail: MailSettings, now: datetime) -> bytes:
    """The whole email, ready for SMTP DATA (or an `.eml` file)."""
    if needs_smtputf8(message, mail):
        return _build_international(message, mail, now)
    email = MIMEMultipart("mixed", boundary=_boundary())
    email["From"] = _address_header(mail.sender)
    email["To"] = message.recipient
    if mail.reply_to:
        email["Reply-To"] = _address_header(mail.reply_to)
    email["Subject"] = message.subject if message.subject.isascii() else Header(message.subject, "utf-8")
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message.message_id_header
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: out-of-office replies stay quiet
    email["Content-Language"] = message.language
    alternatives = MIMEMultipart("alternative", boundary=_boundary())
    alternatives.attach(_part(MIMEText(message.text_body, "plain", _UTF8)))
    alternatives.attach(_part(MIMEText(message.html_body, "html", _UTF8)))
    email.attach(_part(alternatives))
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        part = MIMEBase(maintype, subtype)
        part.set_payload(attachment.content)
        if attachment.content_type == "text/calendar":
            part.set_param("method", "PUBLISH")
        encode_base64(part)
        part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
        email.attach(_part(part))
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False, policy=_POLICY).flatten(email)
    return out.getvalue()


def _boundary() -> str:
    """A random boundary, given rather than left to the generator, which would otherwise build
    and compile a new regular expression per part to check that its boundary is not in the text:
    128 random bits cannot turn up in quoted-printable or base64 by chance."""
    return f"==kx-{secrets.token_hex(16)}"


def _part(part):
    del part["MIME-Version"]  # only the outer message carries it
    return part


def _address_header(value: str) -> str:
    name, address = parseaddr(value)
    return formataddr((name, address), charset="utf-8")


def _build_international(message: Message, mail: MailSettings, now: datetime) -> bytes:
    email = EmailMessage()
    email["From"] = mail.sender
    email["To"] = message.recipient
    if mail.reply_to:
        email["Reply-To"] = mail.reply_to
    email["Subject"] = message.subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message.message_id_header
    email["Auto-Submitted"] = "auto-generated"
    email["Content-Language"] = message.language
    email.set_content(message.text_body)
    email.add_alternative(message.html_body, subtype="html")
    for attachment in message.attachments:
        maintype, _, subtype = attachment.content_type.partition("/")
        params = {"method": "PUBLISH"} if attachment.content_type == "text/calendar" else {}
        email.add_attachment(attachment.content, maintype=maintype, subtype=subtype,
                             filename=attachment.filename, params=params)
    return email.as_bytes(policy=SMTPUTF8.clone(linesep="\r\n"))

