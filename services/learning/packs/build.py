"""Building packs in the worker: the `build_packs` periodic job.

Each run claims one request (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several workers can
share the queue), gathers the pack's inputs, and builds the PDF unless a pack with the same input
hash exists. Progress is written as it goes, so a download can answer "202, rendering".
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from shared.db import utcnow
from shared.events import PACK_GENERATED
from shared.outbox import emit
from shared.service import Periodic, Runtime
from shared.staff_projection import language_of

from ..models import Pack, PackRequest, Theme
from .context import gather, input_hash
from .render import render_html, write_pdf
from .requests import PROGRAMME

log = logging.getLogger(__name__)

#: a claim older than this is taken to belong to a worker that died
BUILD_TIMEOUT = timedelta(minutes=10)
#: failed builds of one request before it waits for the next change
MAX_FAILURES = 3
#: built packs kept per scope and language (the newest); older ones are pruned
KEEP = 3


def build_packs(runtime: Runtime) -> int:
    """Build the oldest requested pack; returns 1 if there was one, so a backlog drains at once."""
    claim = _claim(runtime)
    if claim is None:
        return 0
    scope, language, claimed_at = claim
    try:
        _build(runtime, scope, language, claimed_at)
    except Exception as error:
        log.error("pack %s/%s failed: %s", scope, language, type(error).__name__)
        with runtime.session() as session, session.begin():
            session.execute(update(PackRequest).where(PackRequest.scope == scope, PackRequest.language == language)
                            .values(stage="queued", started_at=None, failures=PackRequest.failures + 1))
        raise
    return 1


def build_now(runtime: Runtime, scope: str, language: str, on_stage=lambda stage: None) -> tuple[int, bool]:
    """Build the pack for the current inputs unless the cache has it: (pack id, whether built).

    Reading the inputs and storing the PDF are two short transactions; the rendering between them
    holds no lock (on SQLite every transaction takes the write lock).
    """
    with runtime.session() as session, session.begin():
        context = gather(session, scope, language)
        digest = input_hash(context)
        cached = _cached(session, scope, language, digest)
    if cached is not None:
        return cached, False
    pdf, pages = write_pdf(render_html(context), on_stage)
    with runtime.session() as session, session.begin():
        cached = _cached(session, scope, language, digest)
        if cached is not None:  # another worker stored the same inputs meanwhile
            return cached, False
        pack = Pack(scope=scope, language=language, input_hash=digest, pdf=pdf, pages=pages, size=len(pdf),
                    sha256=hashlib.sha256(pdf).hexdigest())
        session.add(pack)
        session.flush()
        _announce(session, pack, approved=any(theme["exchanges"] for theme in context["themes"]))
        _prune(session, scope, language)
        return pack.id, True


def _cached(session, scope: str, language: str, digest: str) -> int | None:
    return session.scalar(select(Pack.id).where(Pack.scope == scope, Pack.language == language,
                                                Pack.input_hash == digest))


def _claim(runtime: Runtime):
    now = utcnow()
    with runtime.session() as session, session.begin():
        request = session.scalar(
            select(PackRequest)
            .where(PackRequest.failures < MAX_FAILURES,
                   or_(PackRequest.started_at.is_(None), PackRequest.started_at < now - BUILD_TIMEOUT))
            .order_by(PackRequest.requested_at)
            .limit(1)
            .with_for_update(skip_locked=True))
        if request is None:
            return None
        request.stage, request.started_at = "collecting", now
        return request.scope, request.language, now


def _build(runtime: Runtime, scope: str, language: str, claimed_at) -> None:
    def on_stage(stage: str) -> None:
        _set_stage(runtime, scope, language, stage)

    build_now(runtime, scope, language, on_stage)
    with runtime.session() as session, session.begin():
        # Done, unless someone asked again after this build began: then it stays queued for another.
        done = session.execute(delete(PackRequest).where(
            PackRequest.scope == scope, PackRequest.language == language, PackRequest.requested_at <= claimed_at))
        if not done.rowcount:
            session.execute(update(PackRequest).where(PackRequest.scope == scope, PackRequest.language == language)
                            .values(stage="queued", started_at=None))


def _set_stage(runtime: Runtime, scope: str, language: str, stage: str) -> None:
    with runtime.session() as session, session.begin():
        session.execute(update(PackRequest).where(PackRequest.scope == scope, PackRequest.language == language)
                        .values(stage=stage))


def _announce(session, pack: Pack, approved: bool) -> None:
    """`learning.pack.generated`; nobody is emailed about a pack with no approved summary in it
    (a cover and nothing to read), and each person on the theme's notify list only about the pack
    in the language on their account (English for an address with no account)."""
    theme = session.get(Theme, pack.scope)
    told = [email for email in theme.notify_emails if language_of(session, email) == pack.language] \
        if theme and approved else []
    data = {"theme": pack.scope, "pages": pack.pages, "sha256": pack.sha256, "language": pack.language,
            "title": theme.title if theme else "Whole programme",
            "recipients": told,
            "url": _download_path(pack.scope, pack.language)}
    emit(session, PACK_GENERATED, data)


def _download_path(scope: str, language: str) -> str:
    if scope == PROGRAMME:
        return f"/learning/programme/pack.pdf?lang={language}"
    return f"/learning/themes/{scope}/pack.pdf?lang={language}"


def _prune(session, scope: str, language: str) -> None:
    keep = select(Pack.id).where(Pack.scope == scope, Pack.language == language).order_by(
        Pack.built_at.desc(), Pack.id.desc()).limit(KEEP)
    session.execute(delete(Pack).where(Pack.scope == scope, Pack.language == language, Pack.id.not_in(keep)))


BUILD_PACKS = Periodic("build_packs", build_packs, interval=1.0)
