"""The request's service and database session, apart from the app factory (shared/web.py) so that
the role check (shared/auth.py), which reads the session on every staff request, can use them
without importing the factory that imports it."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from .service import Runtime


def runtime() -> Runtime:
    return current_app.extensions["kx"]


def db() -> Session:
    """This request's database session. The app commits it once the view has answered (see
    `shared.web._OneCommitPerRequest`); teardown closes it. Views never commit it themselves."""
    if "kx_db" not in g:
        g.kx_db = runtime().session()
    return g.kx_db


def close_session(_exc) -> None:
    session = g.pop("kx_db", None)
    if session is not None:
        session.close()
