"""Applicants' manage tokens, made, hashed, looked up and put in links the same way in every service.

An applicant has no account: the token registration gives them is their key in all four services
(bookings in registration, feedback and reflections in learning, claims in expenses, the links in
notifications' messages). Registration keeps only its hash; learning and expenses learn the hash
from booking events and recognise the applicant by it. If any of them hashed or checked a token
differently, the same person would be a stranger there, so all of that lives here once.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

#: 32 random bytes = 256 bits, URL-safe base64 (43 characters)
TOKEN_BYTES = 32
#: longer input than any token we issue is refused before hashing (API schemas use it too)
MAX_TOKEN_LENGTH = 200
#: the URL-safe base64 alphabet `secrets.token_urlsafe` writes in: anything else was never issued
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]+")

Holder = TypeVar("Holder")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """sha256 hex of the token: what every database keeps and what booking events carry."""
    return hashlib.sha256(token.encode()).hexdigest()


def well_formed(token: object) -> bool:
    """Could we have issued it? Checked before hashing, so junk costs nothing and reaches no query."""
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH and _WELL_FORMED.fullmatch(token) is not None


def holder(session: Session, model: type[Holder], token: object) -> Holder | None:
    """The row of `model` (anything with a `manage_token_hash` column) this token opens, or None.

    Callers answer None with their own 404, saying nothing of why: malformed, unknown and erased
    tokens all look the same from outside.
    """
    if not well_formed(token):
        return None
    digest = token_hash(token)
    row = session.scalar(select(model).where(model.manage_token_hash == digest))
    # The lookup is by hash, so timing reveals nothing of the token; the comparison is the
    # constant-time check that what we found is what was asked for.
    if row is None or not hmac.compare_digest(row.manage_token_hash or "", digest):
        return None
    return row


def manage_link(token: str, base: str = "") -> str:
    """Registration's manage page, the link the contract gives applicants: their bookings, cancelling."""
    return _link(base, "/registration/manage/", token)


def learning_link(token: str, base: str = "") -> str:
    """Learning's page for the same token: feedback and reflections."""
    return _link(base, "/learning/manage/", token)


def expenses_link(token: str, base: str = "") -> str:
    """Expenses' page for the same token: travel claims (for experts by experience)."""
    return _link(base, "/expenses/manage/", token)


def password_link(token: str, base: str = "") -> str:
    """Registration's set-password page for a staff account's single-use link (an invitation or a
    reset): made, hashed and checked like a manage token, so it is made into a link here too."""
    return _link(base, "/registration/account/password/", token)


def _link(base: str, path: str, token: str) -> str:
    """`base` is the public origin (e.g. `https://kx.example.org`) for a link that leaves the site
    (an email); without it, a path on this origin. Refusing a malformed token keeps anything but a
    token out of the path."""
    if not well_formed(token):
        raise ValueError("not a manage token")
    return base.rstrip("/") + path + token
