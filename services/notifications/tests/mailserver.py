"""A real SMTP server on loopback (aiosmtpd) that keeps what it accepts, for tests and the benchmark.

`refuse_data` answers DATA with that reply for the first `times` messages (e.g. a 451, then it
accepts); `refuse_recipients` answers RCPT with a reply for the addresses listed.
"""

from __future__ import annotations

import email
import email.policy
import threading
import time
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from shared.testing import free_port


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes
    at: float

    @property
    def email(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class MailHandler:
    received: list[Received] = field(default_factory=list)
    refuse_data: str | None = None
    times: int = 0
    refuse_recipients: dict[str, str] = field(default_factory=dict)
    attempts: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_recipients:
            return self.refuse_recipients[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            if self.refuse_data and self.times > 0:
                self.times -= 1
                return self.refuse_data
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content,
                                          time.monotonic()))
        return "250 Message accepted for delivery"


class MailServer:
    def __init__(self, handler: MailHandler | None = None):
        self.handler = handler or MailHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def __enter__(self) -> MailServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()
