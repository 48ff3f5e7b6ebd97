"""Applicants' manage tokens: the only key to their application, so long, random and stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.errors import ApiError

from ..models import Application

#: 32 random bytes = 256 bits, URL-safe base64 (43 characters)
TOKEN_BYTES = 32
#: longer input than any token we issue is refused before hashing
MAX_TOKEN_LENGTH = 200
NOT_FOUND = "We could not find that application. Use the link in your confirmation email."


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """sha256 hex of the token: what the database keeps and what booking events carry."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def manage_url(token: str) -> str:
    return f"/registration/manage/{token}"


def application_for_token(session: Session, token: str | None) -> Application:
    """The application this manage token opens; 404 for any other token, never saying why."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise ApiError(404, _(NOT_FOUND), code="not_found")
    digest = token_hash(token)
    application = session.scalar(select(Application).where(Application.manage_token_hash == digest))
    # The lookup is by hash, so timing reveals nothing of the token; the comparison is the
    # constant-time check that what we found is what was asked for.
    if application is None or not hmac.compare_digest(application.manage_token_hash, digest):
        raise ApiError(404, _(NOT_FOUND), code="not_found")
    return application
