"""Notifications' own settings, read from the `KX_` environment the shared settings carry.

| variable | meaning | default |
|---|---|---|
| `KX_MAIL_FROM` | the From header | `Knowledge Exchange <no-reply@kx.invalid>` |
| `KX_MAIL_REPLY_TO` | where replies go (the programme team); messages name it as who to contact; required on a real broker | embedded: `Knowledge Exchange programme team <knowledge-exchange@example.org>` |
| `KX_PUBLIC_URL` | where people reach kx; links in messages start with it | `http://127.0.0.1:<KX_PORT>` |
| `KX_REMINDER_OFFSETS` | how long before each session its reminders go | `7d,1d` |
| `KX_FEEDBACK_AFTER` | how long after the reflection session (or the exchange's end) to ask for feedback | `1d` |
| `KX_MAIL_RETRY_DELAY` | first wait after a temporary SMTP failure, in seconds; doubles each time | `60` |
| `KX_MAIL_MAX_ATTEMPTS` | attempts before a message that keeps failing temporarily is marked failed | `10` |
| `KX_MAIL_LEASE` | seconds a worker holds the messages it claimed before another may take them | `300` |
| `KX_SMTP_TIMEOUT` | seconds to wait for the SMTP server at each step; a message is started only with twice this left on the lease | `30` |
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from email.headerregistry import Address
from email.utils import parseaddr

from shared.config import ConfigError, Settings

#: the embedded setup's programme team (a demo: example.org receives nothing)
DEMO_REPLY_TO = "Knowledge Exchange programme team <knowledge-exchange@example.org>"
_DURATION = re.compile(r"^(\d+)([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


@dataclass(frozen=True)
class MailSettings:
    sender: str
    reply_to: str
    public_url: str
    reminder_offsets: tuple[timedelta, ...]
    feedback_after: timedelta
    retry_delay: float
    max_attempts: int
    lease: float
    smtp_timeout: float

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2] or "kx.invalid"

    @property
    def contact(self) -> str:
        """The address messages give as who to contact."""
        return parseaddr(self.reply_to)[1]

    def link(self, path: str | None) -> str | None:
        """An absolute link from a path an event carried (or a full URL, kept as it is)."""
        if not path:
            return None
        if path.startswith(("http://", "https://")):
            return path
        return self.public_url + "/" + path.lstrip("/")


def for_session(session) -> MailSettings:
    """The mail settings of the runtime a session belongs to (handlers get only the session)."""
    return mail_settings(session.info["kx_settings"])


def mail_settings(settings: Settings) -> MailSettings:
    env = settings.extra
    sender = env.get("KX_MAIL_FROM") or "Knowledge Exchange <no-reply@kx.invalid>"
    _check_address("KX_MAIL_FROM", sender)
    reply_to = env.get("KX_MAIL_REPLY_TO") or None
    if reply_to is None and not settings.embedded_bus:
        # people answer the messages they get: a no-reply address would lose their replies
        raise ConfigError("KX_MAIL_REPLY_TO", "is required on a real broker: the programme team's address, where "
                                              "people's replies to messages go, e.g. Team <kx-team@example.org>")
    reply_to = reply_to or DEMO_REPLY_TO
    _check_address("KX_MAIL_REPLY_TO", reply_to)
    return MailSettings(
        sender=sender,
        reply_to=reply_to,
        public_url=(env.get("KX_PUBLIC_URL") or f"http://127.0.0.1:{settings.port}").rstrip("/"),
        reminder_offsets=tuple(_durations("KX_REMINDER_OFFSETS", env.get("KX_REMINDER_OFFSETS") or "7d,1d")),
        feedback_after=_duration("KX_FEEDBACK_AFTER", env.get("KX_FEEDBACK_AFTER") or "1d"),
        retry_delay=_number("KX_MAIL_RETRY_DELAY", env.get("KX_MAIL_RETRY_DELAY"), 60.0, float),
        max_attempts=int(_number("KX_MAIL_MAX_ATTEMPTS", env.get("KX_MAIL_MAX_ATTEMPTS"), 10, int)),
        lease=_number("KX_MAIL_LEASE", env.get("KX_MAIL_LEASE"), 300.0, float),
        smtp_timeout=_number("KX_SMTP_TIMEOUT", env.get("KX_SMTP_TIMEOUT"), 30.0, float),
    )


def _durations(variable: str, value: str) -> list[timedelta]:
    offsets = sorted({_duration(variable, part.strip()) for part in value.split(",") if part.strip()}, reverse=True)
    if not offsets:
        raise ConfigError(variable, "must list at least one duration, e.g. 7d,1d")
    return offsets


def _duration(variable: str, value: str) -> timedelta:
    match = _DURATION.match(value.strip())
    if not match:
        raise ConfigError(variable, "must be durations like 7d, 12h or 30m")
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


def _number(variable: str, value: str | None, default, kind):
    if not value:
        return default
    try:
        number = kind(value)
    except ValueError:
        raise ConfigError(variable, "must be a number") from None
    if number <= 0:
        raise ConfigError(variable, "must be greater than 0")
    return number


def _check_address(variable: str, value: str) -> None:
    name, address = parseaddr(value)
    try:
        Address(display_name=name, addr_spec=address)
    except (ValueError, IndexError):
        raise ConfigError(variable, "must be an email address, e.g. Knowledge Exchange <kx@example.org>") from None
    if "@" not in address:
        raise ConfigError(variable, "must be an email address, e.g. Knowledge Exchange <kx@example.org>")
