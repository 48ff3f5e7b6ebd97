"""Asking for a pack to be (re)built: one row per scope and language, whatever the number of asks."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from shared.db import is_sqlite, utcnow
from shared.staff_projection import language_of

from ..models import Pack, PackRequest, Theme

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
    """A theme's inputs changed: rebuild its pack and the programme's, in every language built so far,
    and the theme's in the language of each person to be told of it (a Welsh-speaking lead is told
    of the Welsh pack, which must then be built)."""
    told = session.get(Theme, theme)
    wanted = {language_of(session, email) for email in (told.notify_emails if told else [])}
    for scope, also in ((theme, wanted), (PROGRAMME, set())):
        built = set(session.scalars(select(Pack.language).where(Pack.scope == scope).distinct()))
        for language in sorted(built | also | {"en"}):
            request_pack(session, scope, language)
