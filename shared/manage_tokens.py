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
_MASKED = re.compile(r"[A-Za-z0-9_-]{0,3}\u2026")

#: how many characters of a token a masked link keeps, and what stands for the rest
MASK_KEEPS, MASK_END = 3, "\u2026"
#: the path of every page a manage token opens, and of a staff account's set-password link
_MANAGE_PATHS = r"/(?:registration|learning|expenses)/manage/"
_ANY_LINK = re.compile(rf"({_MANAGE_PATHS}|/registration/account/password/)([A-Za-z0-9_-]{{{MASK_KEEPS + 1},}})")
_MASKED_MANAGE_LINK = re.compile(rf"({_MANAGE_PATHS})[A-Za-z0-9_-]{{0,{MASK_KEEPS}}}{MASK_END}")

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


def masked(token: str) -> str:
    """What stored copies show of a token: its first three characters and an ellipsis (`abc…`),
    enough for a person to tell two links apart, far too little to open anything."""
    return token[:MASK_KEEPS] + MASK_END


def mask_links(text: str) -> str:
    """`text` with every manage or set-password link's token masked (`…/manage/abc…`)."""
    return _ANY_LINK.sub(lambda found: found.group(1) + masked(found.group(2)), text)


def unmask_links(text: str, token: str) -> str:
    """`text` with every masked manage link (`…/manage/abc…`) made a working link with `token`: what
    notifications does to a stored body at the moment of sending it."""
    if not well_formed(token):
        raise ValueError("not a manage token")
    return _MASKED_MANAGE_LINK.sub(lambda found: found.group(1) + token, text)


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
    token (or a masked one, `masked(token)`, for a stored copy) out of the path."""
    if not (well_formed(token) or _MASKED.fullmatch(token)):
        raise ValueError("not a manage token")
    return base.rstrip("/") + path + token
