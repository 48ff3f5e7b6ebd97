"""What makes a staff password acceptable: at least 12 characters, and not a common password.

The list of common passwords is the first 10,000 lines (the most common first) of
`django/contrib/auth/common-passwords.txt.gz` in Django 5.2.20 (PyPI package `Django`,
BSD-3-Clause), which Django describes as "20000 common passwords (unhexed, lowercased and
deduplicated), created by Royce Williams" (gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce).
It is lowercased, so a password is compared case-folded.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask_babel import gettext as _

from shared.errors import ApiError

MIN_LENGTH = 12
#: longer input than this is refused before hashing: argon2 would take it, but nobody types it
MAX_LENGTH = 1000
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    return frozenset(COMMON_PASSWORDS.read_text(encoding="utf-8").split())


def password_problem(password: str) -> str | None:
    """Why `password` is refused, in the reader's language, naming the rule; None when it is fine."""
    if len(password) < MIN_LENGTH:
        return _("Enter a password of at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Enter a password of %(n)d characters or fewer.", n=MAX_LENGTH)
    if password.casefold() in common_passwords():
        return _("Choose a password that is not on the list of commonly used passwords.")
    return None


def check_password(password: str, field: str = "password") -> None:
    """Refuse an unacceptable password: 422, naming the rule under `field`."""
    problem = password_problem(password)
    if problem:
        raise ApiError(422, problem, code="weak_password", fields={field: [problem]})
