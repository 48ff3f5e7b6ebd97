"""Delivery without a mail server (the embedded default): each message becomes an `.eml` file
under `var/mail/`, which any mail client opens. Written whole, then renamed, so a half-written
file is never mistaken for a message; readable by kx's account only (it holds the person's name,
address and manage link). The file is named after the message's Message-ID header, so erasure
and retention find it from the delivery log (`mail_files`)."""

from __future__ import annotations

from pathlib import Path

from shared.private_files import write_private

from .errors import TemporaryFailure


def file_name(message_id: str) -> str:
    """The `.eml` file of the message with this Message-ID header."""
    return message_id.strip("<>").replace("/", "_") + ".eml"


class FileSender:
    def __init__(self, directory: Path):
        self.directory = directory

    def __enter__(self) -> FileSender:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def send(self, email: bytes, sender: str, recipient: str, *, message_id: str, smtputf8: bool = False) -> None:
        try:
            write_private(self.directory / file_name(message_id), email)
        except OSError as error:
            raise TemporaryFailure(f"could not write the file: {type(error).__name__}") from None
