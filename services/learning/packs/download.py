"""Serving a pack: the current one from the cache, else the latest built while a fresh one is
queued, else "202, building" with how far the worker has got. Never builds in the request.
The API and the pages answer the same file (`pack_file`); each says "building" its own way."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Pack, PackRequest
from .context import gather, input_hash
from .requests import request_pack

#: how far along each stage is, for the progress shown while the first pack builds
PROGRESS = {"queued": 0, "collecting": 10, "rendering": 30, "writing": 80}
#: seconds a client is asked to wait before asking again for a pack being built
RETRY_AFTER = 2


@dataclass(frozen=True)
class Served:
    """What a download answers: a built pack (`current` or not), or the progress of a build."""

    pack: Pack | None
    current: bool
    stage: str | None = None

    @property
    def progress(self) -> int:
        return PROGRESS.get(self.stage or "queued", 0)


def serve(session: Session, scope: str, language: str) -> Served:
    """Look up the pack for the current inputs; queue a build when it is missing. The caller commits."""
    digest = input_hash(gather(session, scope, language))
    current = session.scalar(select(Pack).where(Pack.scope == scope, Pack.language == language,
                                                Pack.input_hash == digest))
    if current is not None:
        return Served(current, current=True)
    request = session.get(PackRequest, (scope, language))
    if request is None or request.failures:
        request_pack(session, scope, language)
    latest = session.scalar(select(Pack).where(Pack.scope == scope, Pack.language == language)
                            .order_by(Pack.built_at.desc(), Pack.id.desc()).limit(1))
    stage = request.stage if request is not None else "queued"
    return Served(latest, current=False, stage=stage)


def pack_file(served: Served, scope: str, language: str) -> Response:
    """The built pack as a download, with its ETag; 304 when the client holds that one already."""
    pack = served.pack
    etag = f'"{pack.sha256}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache",
               "X-Kx-Pack": "current" if served.current else "rebuilding",
               "Content-Disposition": f'attachment; filename="kx-pack-{scope}-{language}.pdf"'}
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers=headers)
    return Response(pack.pdf, mimetype="application/pdf", headers=headers)
