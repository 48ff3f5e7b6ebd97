"""Registration's background jobs (run by its worker; see shared.service.Periodic)."""

from __future__ import annotations

from datetime import datetime

from shared.service import Runtime

from .operations import apply_drafts, idempotency, release_reservations


def promote_after_reservations(runtime: Runtime) -> int:
    """Places reserved for a participant type until a date: once it passes, the waiting list moves."""
    with runtime.session() as session, session.begin():
        return release_reservations(session)


def forget_idempotency_keys(runtime: Runtime) -> int:
    with runtime.session() as session, session.begin():
        idempotency.prune(session)
    return 0  # a backlog of old keys is no reason to run again at once


def forget_apply_drafts(runtime: Runtime, now: datetime | None = None) -> int:
    """Unfinished applications left for 2 hours: their answers (access needs among them) go."""
    with runtime.session() as session, session.begin():
        return apply_drafts.prune(session, now)
