"""The application a manage token opens (made, hashed and checked as in every service: shared/manage_tokens.py)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from shared.errors import ApiError
from shared.manage_tokens import holder

from ..models import Application

NOT_FOUND = "We could not find that application. Use the link in your confirmation email."


def application_for_token(session: Session, token: str | None) -> Application:
    """The application this manage token opens; 404 for any other token, never saying why."""
    application = holder(session, Application, token)
    if application is None:
        raise ApiError(404, _(NOT_FOUND), code="not_found")
    return application
