"""Delivery without a mail server (the embedded default): each message becomes an `.eml` file
under `var/mail/`, which any mail client opens. Written whole, then renamed, so a half-written
file is never mistaken for a message; readable by kx's account only (it holds the person's name,
address and manage link). The file is named after the message's Message-ID header, so erasure
and retention find it from the delivery log (`mail_files`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from shared.private_files import write_private

from .errors import TemporaryFailure


def mail_folder(settings) -> Path:
    return settings.var_dir / "mail"


def file_name(message_id: str) -> str:
    """The `.eml` file of the message with this Message-ID header."""
    return message_id.strip("<>").replace("/", "_") + ".eml"


def delete_mail_files(settings, message_ids: Iterable[str] | None) -> int:
    """Delete the files of these messages, or every file of the folder (None: retention, when the
    whole delivery log goes, and with it files no row names any more). Returns how many went.

    Called inside the erasure's transaction, before it commits: if it then fails, the messages are
    still in the log and the next attempt erases them, whereas deleting after the commit could,
    on a crash, leave the files of a person the record says is erased."""
    folder = mail_folder(settings)
    if not folder.is_dir():
        return 0
    paths = folder.iterdir() if message_ids is None else (folder / file_name(m) for m in message_ids)
    deleted = 0
    for path in paths:
        if path.suffix in (".eml", ".part"):
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            deleted += 1
    return deleted


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
