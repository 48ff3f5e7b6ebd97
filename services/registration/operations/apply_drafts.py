"""The apply journey's answers between its pages, kept server-side (models/apply_draft.py).

The applicant's session holds only the draft's random id. The row is keyed by the id's hash and
its answers are encrypted under a key derived from the secret and the id, as idempotency answers
are: whoever reads the cookie finds no answer in it, and whoever reads the database can open no
draft. A draft goes when its application is sent, and 2 hours after it was last used (the
`forget-apply-drafts` job deletes what is left).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime, timedelta

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.manage_tokens import new_token, token_hash, well_formed

from ..models import ApplyDraft

#: a draft not saved or read for this long is gone
IDLE = timedelta(hours=2)
#: reading a page refreshes `used_at` only once it is this old, not with every page
TOUCH_AFTER = timedelta(minutes=1)


def _cipher(secret: str, draft_id: str) -> Fernet:
    derived = hmac.new(secret.encode(), f"kx.apply-draft\n{draft_id}".encode(), hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def _row(session: Session, draft_id: object, now: datetime) -> ApplyDraft | None:
    """The draft of this id if it is still alive; an expired one is deleted on the way."""
    if not well_formed(draft_id):
        return None
    row = session.get(ApplyDraft, token_hash(draft_id))
    if row is not None and row.used_at < now - IDLE:
        session.delete(row)
        return None
    return row


def load(session: Session, secret: str, draft_id: object, now: datetime | None = None) -> dict | None:
    """The answers saved under this id, or None (no such draft, expired, or unreadable)."""
    now = now or utcnow()
    row = _row(session, draft_id, now)
    if row is None:
        return None
    try:
        state = json.loads(_cipher(secret, draft_id).decrypt(row.state))
    except (InvalidToken, ValueError):  # written under another secret key
        return None
    if now - row.used_at > TOUCH_AFTER:
        row.used_at = now
    return state if isinstance(state, dict) else None


def save(session: Session, secret: str, draft_id: object, state: dict, now: datetime | None = None) -> str:
    """Keep `state` under `draft_id`, or under a new id when that draft is gone (or never was):
    returns the id to hold. A new id each time, rather than reusing one that has no row, means two
    requests at once can never insert the same key."""
    now = now or utcnow()
    row = _row(session, draft_id, now)
    if row is None:
        draft_id = new_token()
        row = ApplyDraft(id_hash=token_hash(draft_id))
        session.add(row)
    row.state = _cipher(secret, draft_id).encrypt(json.dumps(state).encode())
    row.used_at = now
    session.flush()
    return draft_id


def discard(session: Session, draft_id: object) -> None:
    if well_formed(draft_id):
        session.execute(delete(ApplyDraft).where(ApplyDraft.id_hash == token_hash(draft_id)))


def prune(session: Session, now: datetime | None = None) -> int:
    """Delete drafts left for longer than `IDLE` (the worker's `forget-apply-drafts`)."""
    result = session.execute(delete(ApplyDraft).where(ApplyDraft.used_at < (now or utcnow()) - IDLE))
    return result.rowcount or 0
