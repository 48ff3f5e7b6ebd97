"""Getting a message out: SMTP when `KX_SMTP_URL` is set, otherwise `.eml` files under `var/mail/`.

A sender is opened once per batch (`with open_sender(settings, timeout) as sender`) and
`sender.send(email_bytes, ...)` either returns (accepted) or raises `TemporaryFailure` (try again later:
4xx, connection errors) or `PermanentFailure` (5xx: this message will never go).
"""

from __future__ import annotations

from shared.config import Settings

from .errors import PermanentFailure, TemporaryFailure
from .files import FileSender, delete_mail_files, mail_folder
from .smtp import SmtpSender


def open_sender(settings: Settings, timeout: float) -> SmtpSender | FileSender:
    if settings.smtp_url:
        return SmtpSender(settings.smtp_url, timeout)
    return FileSender(mail_folder(settings))


__all__ = ["FileSender", "delete_mail_files", "mail_folder", "PermanentFailure", "SmtpSender", "TemporaryFailure", "open_sender"]
