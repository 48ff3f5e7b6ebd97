"""Files that hold personal data are the service account's alone (docs/privacy.md, "Files"): the
SQLite databases and their journals, the embedded mail sink's `.eml` files, receipts and the keys
are created 0600, and the folders kx makes for them 0700, whatever the umask."""

from __future__ import annotations

import os
import stat

from shared.testing import wait_until
from tests.support.journey import EMAIL, run_journey, start


def _modes(folder) -> dict[str, int]:
    return {str(path.relative_to(folder)): stat.S_IMODE(path.stat().st_mode)
            for path in [folder, *folder.rglob("*")]}


def test_an_embedded_start_and_one_application_create_every_file_0600_and_every_folder_0700(tmp_path):
    previous = os.umask(0o022)  # the usual default, under which files were created 0644
    try:
        system = start(tmp_path)
        try:
            run_journey(system)
            mail = tmp_path / "var" / "mail"
            wait_until(lambda: any(EMAIL in p.read_text(errors="replace") for p in mail.glob("*.eml")),
                       message="the confirmation's .eml file")
            system.quiet()
        finally:
            system.embedded.shutdown()
    finally:
        os.umask(previous)
    modes = _modes(tmp_path / "var")
    assert any(name.endswith(".db") for name in modes) and any(name.endswith(".eml") for name in modes), modes
    loose = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o700 if (tmp_path / "var" / name).is_dir() else 0o600)}
    assert loose == {}, loose
