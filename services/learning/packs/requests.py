"""Asking for a pack to be (re)built: one row per scope and language, whatever the number of asks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.db import is_sqlite, utcnow

from ..models import Pack, PackRequest

PROGRAMME = "programme"


def request_pack(session: Session, scope: str, language: str) -> None:
    """Queue a build; asking again while one is queued or running only refreshes `requested_at`."""
    insert = sqlite.insert if is_sqlite(session) else postgresql.insert
    now = utcnow()
    statement = insert(PackRequest).values(scope=scope, language=language, requested_at=now, stage="queued",
                                           failures=0)
    session.execute(statement.on_conflict_do_update(
        index_elements=["scope", "language"], set_={"requested_at": now, "failures": 0}))


def request_rebuild(session: Session, theme: str) -> None:
    """A theme's inputs changed: rebuild its pack and the programme's, in every language built so far."""
    for scope in (theme, PROGRAMME):
        built = set(session.scalars(select(Pack.language).where(Pack.scope == scope).distinct()))
        for language in sorted(built | {"en"}):
            request_pack(session, scope, language)
