"""Rate limits counted in the service's database, so that every web process (gunicorn's workers,
the embedded launcher, several machines) shares one count.

    decision = ratelimit.hit(session, ("apply-email", email.casefold()), limit=5, window=60)
    if not decision.allowed: ... 429, Retry-After: decision.retry_after

A service that limits something keeps a `rate_limits` table (`RateLimitMixin`, a model module
`models/rate_limit.py`, created by `create_rate_limits_table()` in a migration) and runs `PRUNE`
among its periodic jobs. `enforce(...)` is `hit` raising the one 429 error body.

Counting: one row per key and fixed window ("bucket"); the estimate is the current bucket's hits
plus the previous bucket's, weighted by how much of it still lies within the last `window`
seconds (the sliding-window counter Cloudflare and nginx use). So a burst at a bucket's edge gets
no double allowance, and two rows per key are all it ever needs.

Only allowed hits count: a refused one is taken back, so a client that waits gets in again as the
estimate says. `hit` writes in the caller's session: the count commits (or rolls back)
with the request, so a request refused for another reason (422, 409) leaves no count behind, and
`@commit_even_when_refused` keeps it where it must (failed sign-ins). On PostgreSQL the bucket's
row stays locked until the caller's transaction ends: keep the work after `hit` short.

Keys name people (emails) and addresses, so only an HMAC of them is stored (keyed with the
service's secret: the table cannot be reversed by hashing a list of emails), and rows go at most
two windows after their bucket.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import time
from dataclasses import dataclass

from sqlalchemy import BigInteger, Integer, String, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .errors import ApiError
from .service import Periodic

TABLE = "rate_limits"


class RateLimitMixin:
    """Hits on one key in one fixed window: the limiter's count, shared by every process."""

    __tablename__ = TABLE

    #: HMAC-SHA256 (hex) of the key and its window length: never the email or address itself
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: which window: seconds since the epoch divided by the window's length
    bucket: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: allowed hits in it so far
    hits: Mapped[int] = mapped_column(Integer)
    #: seconds since the epoch after which the row no longer counts (PRUNE deletes it)
    expires: Mapped[int] = mapped_column(BigInteger, index=True)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    #: seconds until a hit would be allowed again (0 when allowed)
    retry_after: int = 0


def hit(session: Session, key, limit: int, window: int, *, now: float | None = None) -> Decision:
    """Count one hit on `key` if fewer than `limit` were allowed in the last `window` seconds.
    `limit <= 0` turns the limit off (nothing is read or written)."""
    if limit <= 0:
        return Decision(True)
    now = time.time() if now is None else now
    model, digest, bucket = _model(session), _digest(session, key, window), int(now // window)
    current = _increment(session, model, digest, bucket, window) - 1  # the hits before this one
    previous = session.scalar(select(model.hits).where(model.key == digest, model.bucket == bucket - 1)) or 0
    decision = _decide(limit, window, now, bucket, previous, current)
    if not decision.allowed:  # taken back: the row is still this transaction's (no savepoint round trips)
        session.execute(update(model).where(model.key == digest, model.bucket == bucket)
                        .values(hits=model.hits - 1))
    return decision


def peek(session: Session, key, limit: int, window: int, *, now: float | None = None) -> Decision:
    """Whether a hit on `key` would be allowed, counting nothing: to refuse before the work and
    `hit` after it (a failed sign-in counts only once it has failed)."""
    if limit <= 0:
        return Decision(True)
    now = time.time() if now is None else now
    model, digest, bucket = _model(session), _digest(session, key, window), int(now // window)
    rows = {row.bucket: row.hits for row in session.execute(select(model.bucket, model.hits).where(
        model.key == digest, model.bucket.in_((bucket - 1, bucket))))}
    return _decide(limit, window, now, bucket, rows.get(bucket - 1, 0), rows.get(bucket, 0))


def _decide(limit: int, window: int, now: float, bucket: int, previous: int, current: int) -> Decision:
    """One more hit is allowed while the estimate with it stays within `limit`; if not, the seconds
    until it would be, as the counts stand."""
    elapsed = now - bucket * window
    room = limit - 1 - current  # what the previous bucket's share may still take
    if previous * (1 - elapsed / window) <= room:
        return Decision(True)
    if room >= 0:  # within this bucket, as the previous one's share shrinks
        wait = window * (1 - room / previous) - elapsed
    else:  # in the next bucket, as this one's share shrinks
        wait = window - elapsed + window * (1 - (limit - 1) / current)
    return Decision(False, max(1, math.ceil(wait)))


def enforce(session: Session, key, limit: int, window: int, message: str) -> None:
    """`hit`, answering 429 with `message`, Retry-After and the one error body when refused."""
    decision = hit(session, key, limit, window)
    if not decision.allowed:
        raise ApiError(429, message, code="rate_limited", retry_after=decision.retry_after)


def prune(session: Session, *, now: float | None = None) -> int:
    """Delete the rows that no longer count."""
    now = time.time() if now is None else now
    model = _model(session)
    return session.execute(delete(model).where(model.expires < now)).rowcount or 0


def _prune_job(runtime) -> int:
    with runtime.session() as session, session.begin():
        prune(session)
    return 0  # old rows are no reason to run again at once


#: add to the periodic jobs of every service that keeps a `rate_limits` table
PRUNE = Periodic("forget-rate-limit-counts", _prune_job, interval=600.0)


def _increment(session: Session, model, digest: str, bucket: int, window: int) -> int:
    """Add one to the bucket's row (made if need be) in one statement; the new count."""
    table = model.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(key=digest, bucket=bucket, hits=1, expires=(bucket + 2) * window)
    statement = statement.on_conflict_do_update(index_elements=[table.c.key, table.c.bucket],
                                                set_={"hits": table.c.hits + 1}).returning(table.c.hits)
    return session.execute(statement).scalar_one()


def _digest(session: Session, key, window: int) -> str:
    parts = key if isinstance(key, tuple) else (key,)
    text = "\x1f".join(str(part) for part in (*parts, window))
    settings = session.info.get("kx_settings")
    secret = (getattr(settings, "secret_key", None) or "kx.rate-limits").encode()
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()


def _model(session: Session):
    base = session.info["kx_service"].base
    return next(m.class_ for m in base.registry.mappers if m.class_.__tablename__ == TABLE)


def create_rate_limits_table() -> None:
    """The migration of a service's `rate_limits` table (see RateLimitMixin)."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        TABLE,
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("bucket", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("expires", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", "bucket", name=op.f("pk_rate_limits")),
    )
    op.create_index(op.f("ix_rate_limits_expires"), TABLE, ["expires"], unique=False)


def drop_rate_limits_table() -> None:
    from alembic import op

    op.drop_table(TABLE)
