"""Files and folders that hold personal data, readable by kx's own account only (docs/privacy.md).

The mode is given when the file is created (`os.open(..., 0o600)`), not set afterwards: a
`chmod` after writing leaves a moment in which others may open it, and the process umask (often
022, which gives 0644) is not kx's to rely on or to change (it is process-wide, and threads share
it). SQLite gives its journal and WAL files the mode of the database file, so creating the
database file first is enough for them.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

FILE_MODE = 0o600
FOLDER_MODE = 0o700


def private_folder(folder: Path) -> Path:
    """Make `folder` and any missing parent 0700; a folder that already exists is left as it is
    (it may be the operator's, shared on purpose)."""
    missing = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        missing.append(path)
    for path in reversed(missing):
        try:
            path.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            continue  # made meanwhile by another thread or process
        os.chmod(path, FOLDER_MODE)  # mkdir's mode passes through the umask
    return folder


def create_private_file(path: Path) -> bool:
    """Create an empty 0600 file at `path` unless one exists; True when it was created."""
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        return False
    return True


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole (a reader never sees half of it), 0600 from the start."""
    private_folder(path.parent)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE), "wb") as handle:
            handle.write(data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
