"""The theme lead's synthesis of a theme (models/theme_synthesis.py): saving a version, publishing
it for the pack, and reading it back. As with summaries (operations/summaries.py), saving the
same text again adds no version, and a published version stays in the pack until a newer one is
published. The caller commits; role checks are the views' (`authorise`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.auth import Staff
from shared.db import utcnow

from ..models import Theme, ThemeSynthesis, ThemeSynthesisVersion
from ..packs.requests import request_rebuild

CONTENT = ("key_messages", "key_messages_cy", "workshop_questions", "workshop_questions_cy", "actions", "actions_cy")


def synthesis_of(session: Session, theme: str) -> ThemeSynthesis | None:
    return session.scalar(select(ThemeSynthesis).where(ThemeSynthesis.theme == theme))


def version_of(session: Session, synthesis: ThemeSynthesis | None, number: int | None) -> ThemeSynthesisVersion | None:
    if synthesis is None or not number:
        return None
    return session.scalar(select(ThemeSynthesisVersion).where(
        ThemeSynthesisVersion.synthesis_id == synthesis.id, ThemeSynthesisVersion.number == number))


def versions_of(session: Session, synthesis: ThemeSynthesis | None) -> list[ThemeSynthesisVersion]:
    """Every version, newest first (the page's history)."""
    if synthesis is None:
        return []
    return list(session.scalars(select(ThemeSynthesisVersion).where(ThemeSynthesisVersion.synthesis_id == synthesis.id)
                                .order_by(ThemeSynthesisVersion.number.desc())))


def published(session: Session, theme: str) -> ThemeSynthesisVersion | None:
    """The version the theme's pack uses, or None before one is published."""
    synthesis = synthesis_of(session, theme)
    return version_of(session, synthesis, synthesis.published_version) if synthesis else None


def view(session: Session, theme: Theme) -> dict:
    """The synthesis as the API and the page show it: its state and its latest version's text."""
    synthesis = synthesis_of(session, theme.code)
    latest = version_of(session, synthesis, synthesis.latest_version) if synthesis else None
    return {
        "theme": theme.code,
        "status": synthesis.status if latest else "not_started",
        "version": latest.number if latest else 0,
        "published_version": synthesis.published_version if synthesis else None,
        "published_at": synthesis.published_at if synthesis else None,
        "saved_at": latest.saved_at if latest else None,
        "author": latest.author_name if latest else None,
        **{name: list(getattr(latest, name)) if latest else [] for name in CONTENT},
    }


def save(session: Session, theme: Theme, content: dict, staff: Staff) -> ThemeSynthesis:
    """A new version when the text changed (audit `synthesis.saved`); with `publish`, the latest
    version goes into the pack (audit `synthesis.published`) and the pack is rebuilt."""
    synthesis = synthesis_of(session, theme.code)
    if synthesis is None:
        synthesis = ThemeSynthesis(theme=theme.code, status="draft", latest_version=0)
        session.add(synthesis)
        session.flush()
    latest = version_of(session, synthesis, synthesis.latest_version)
    text = {name: content[name] for name in CONTENT}
    if latest is None or any(getattr(latest, name) != value for name, value in text.items()):
        synthesis.latest_version += 1
        session.add(ThemeSynthesisVersion(synthesis_id=synthesis.id, number=synthesis.latest_version,
                                          author_id=staff.id, author_name=staff.name or "", **text))
        # a newer text than the published one is a draft until it is published in its turn
        synthesis.status = "draft"
        audit.record(session, staff, "synthesis.saved", ("theme", theme.code), None,
                     {"version": synthesis.latest_version})
    if content.get("publish") and synthesis.published_version != synthesis.latest_version:
        audit.record(session, staff, "synthesis.published", ("theme", theme.code),
                     {"version": synthesis.published_version}, {"version": synthesis.latest_version})
        synthesis.published_version = synthesis.latest_version
        synthesis.published_at = utcnow()
        synthesis.status = "published"
        request_rebuild(session, theme.code)
    session.flush()
    return synthesis
