"""Delivery without a mail server (the embedded default): each message becomes an `.eml` file
under `var/mail/`, which any mail client opens. Written whole, then renamed, so a half-written
file is never mistaken for a message."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import TemporaryFailure


class FileSender:
    def __init__(self, directory: Path):
        self.directory = directory

    def __enter__(self) -> FileSender:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def send(self, email: bytes, sender: str, recipient: str, *, message_id: str, smtputf8: bool = False) -> None:
        name = message_id.strip("<>").replace("/", "_")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial = self.directory / f".{name}.part"
            partial.write_bytes(email)
            os.replace(partial, self.directory / f"{name}.eml")
        except OSError as error:
            raise TemporaryFailure(f"could not write the file: {type(error).__name__}") from None
