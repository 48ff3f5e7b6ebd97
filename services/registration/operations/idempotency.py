"""`Idempotency-Key`: a retried request gets the first answer, and changes nothing.

The first request with a key claims it by inserting its row before doing anything (on PostgreSQL
a concurrent twin waits on that row's unique key, then finds it taken and replays; on SQLite the
writers are serialised anyway). The stored answer holds a manage token, so it is encrypted with
a key derived from the secret and the idempotency key: the database alone cannot read it back.

`answer_once` is that sequence, for the API's `Idempotency-Key` and the apply pages' hidden key alike.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet
from flask_babel import gettext as _
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.errors import ApiError

from ..models import IdempotencyKey

#: how long a key is remembered
KEEP = timedelta(hours=24)
MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict


def _key_hash(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}\n{key}".encode()).hexdigest()


def _cipher(secret: str, key: str) -> Fernet:
    derived = hmac.new(secret.encode(), f"kx.idempotency\n{key}".encode(), hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def check_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApiError(400, _("The Idempotency-Key header must be 1 to 200 printable characters."), code="bad_request")


def replay(session: Session, secret: str, scope: str, key: str, body: bytes) -> Replay | None:
    """The stored answer for this key, or None when it is new. 422 when the key was used with
    another body: that is a client bug, not a retry."""
    row = session.get(IdempotencyKey, _key_hash(scope, key), populate_existing=True)
    if row is None or row.created_at < utcnow() - KEEP:
        return None
    if not hmac.compare_digest(row.request_hash, hashlib.sha256(body).hexdigest()):
        raise ApiError(422, _("This Idempotency-Key was already used for a different request."),
                       code="idempotency_key_reused")
    return Replay(row.status_code, json.loads(_cipher(secret, key).decrypt(row.response)))


def claim(session: Session, scope: str, key: str, body: bytes, now: datetime | None = None) -> IdempotencyKey | None:
    """Take the key for this request (flushes its row), or None when another request holds it.

    On None the caller rolls back and calls `replay()` again."""
    now = now or utcnow()
    key_hash = _key_hash(scope, key)
    session.execute(delete(IdempotencyKey).where(IdempotencyKey.key_hash == key_hash,
                                                 IdempotencyKey.created_at < now - KEEP))
    row = IdempotencyKey(key_hash=key_hash, request_hash=hashlib.sha256(body).hexdigest(), status_code=0,
                         response=b"", created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def answer_once(session: Session, secret: str, scope: str, key: str, body: bytes,
                answer: Callable[[], tuple[int, dict]], busy_message: str) -> Replay:
    """`answer()` (its status and body) the first time this key is seen; the stored answer after.

    A twin request holding the key without an answer yet is refused with `busy_message` (409).
    An error raised by `answer()` stores nothing: the request's rollback takes the claim with it.
    """
    stored = replay(session, secret, scope, key, body)
    if stored is not None:
        return stored
    row = claim(session, scope, key, body)
    if row is None:  # a twin request (a retry, a double click) holds the key: its answer is the answer
        session.rollback()
        stored = replay(session, secret, scope, key, body)
        if stored is None:
            raise ApiError(409, busy_message, code="conflict")
        return stored
    status, fresh = answer()
    remember(row, secret, key, status, fresh)
    return Replay(status, fresh)


def remember(row: IdempotencyKey, secret: str, key: str, status: int, body: dict) -> None:
    row.status_code = status
    row.response = _cipher(secret, key).encrypt(json.dumps(body).encode())


def prune(session: Session, now: datetime | None = None) -> int:
    """Forget keys older than a day (the worker calls this)."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < (now or utcnow()) - KEEP))
    return result.rowcount or 0
