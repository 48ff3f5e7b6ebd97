"""Delivery over SMTP: `smtp://host:port`, `smtp+starttls://user:pass@host:port` or `smtps://...`.

One connection per batch, opened on the first message; a dropped connection is reopened for the
next one. Answers are sorted by their code: 4xx (and no answer at all) is temporary, 5xx permanent.
"""

from __future__ import annotations

import smtplib
import ssl
from urllib.parse import unquote, urlsplit

from .errors import PermanentFailure, TemporaryFailure


class SmtpSender:
    def __init__(self, url: str, timeout: float):
        """`timeout`: seconds to wait for the server at each step (`KX_SMTP_TIMEOUT`)."""
        parts = urlsplit(url)
        self.scheme = parts.scheme
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (465 if parts.scheme == "smtps" else 25)
        self.username = unquote(parts.username) if parts.username else None
        self.password = unquote(parts.password) if parts.password else None
        self.timeout = timeout
        self._client: smtplib.SMTP | None = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def send(self, email: bytes, sender: str, recipient: str, *, message_id: str, smtputf8: bool = False) -> None:
        """Send the whole message `email` (bytes with CRLF line ends, from `mime.build`)."""
        client = self._connected()
        try:
            options = ("SMTPUTF8", "BODY=8BITMIME") if smtputf8 else ()
            refused = client.sendmail(sender, [recipient], email, mail_options=options)
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            raise _by_code(code, text, "recipient refused") from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise _by_code(error.smtp_code, error.smtp_error, "refused") from None
        except smtplib.SMTPResponseException as error:
            self.close()
            raise _by_code(error.smtp_code, error.smtp_error, "refused") from None
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            raise TemporaryFailure(f"connection: {type(error).__name__}") from None
        if refused:  # several recipients and some refused: we only ever send to one
            code, text = next(iter(refused.values()))
            raise _by_code(code, text, "recipient refused")

    def _connected(self) -> smtplib.SMTP:
        if self._client is not None:
            return self._client
        try:
            if self.scheme == "smtps":
                client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                          context=ssl.create_default_context())
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            client.ehlo()
            if self.scheme == "smtp+starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if self.username:
                client.login(self.username, self.password or "")
        except smtplib.SMTPResponseException as error:
            # A 5xx at greeting or login is a configuration problem, not this message's: retry later.
            raise TemporaryFailure(_reason(error.smtp_code, error.smtp_error, "connection refused"),
                                   error.smtp_code) from None
        except (smtplib.SMTPException, OSError) as error:
            raise TemporaryFailure(f"connection: {type(error).__name__}") from None
        self._client = client
        return client

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


def _by_code(code: int, text, what: str):
    reason = _reason(code, text, what)
    if 400 <= code < 500:
        return TemporaryFailure(reason, code)
    return PermanentFailure(reason, code)


def _reason(code: int, text, what: str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{what}: {code} {' '.join(str(text).split())}"
