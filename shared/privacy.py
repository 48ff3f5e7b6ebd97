"""Personal data as UK GDPR expects: what every service's `privacy.py` shares.

Each service answers three things about the personal data it holds, in the same shape
(`services/<service>/privacy.py`): `export(session, subject)` (its part of a subject access
request), `erase(session, subject)` (erase or anonymise the subject, keeping only what the law
makes it keep) and `forget_everyone(session, settings)` (the same for every subject, once the
retention period after the programme's end has passed). This module turns those three into the
service's bus handlers and its retention job. See docs/privacy.md.

A subject travels on the bus as a *lookup key* (an HMAC of the case-folded email under the shared
`KX_SECRET_KEY`, so the email itself never travels and the key cannot be reversed by guessing
without the secret) and registration's application ids for that email (learning and expenses
know applicants by those ids only).
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, delete, or_, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UtcDateTime, utcnow
from .events import (
    ACCESS_ANSWERED,
    ACCESS_REQUESTED,
    ERASURE_COMPLETED,
    ERASURE_REQUESTED,
    PROGRAMME_UPDATED,
)
from .outbox import emit
from .projections import event_time
from .service import Handler, Periodic
from .times import iso

LONDON = ZoneInfo("Europe/London")

ACCESS, ERASURE = "access", "erasure"
REQUESTED = {ACCESS: ACCESS_REQUESTED, ERASURE: ERASURE_REQUESTED}
ANSWERED = {ACCESS: ACCESS_ANSWERED, ERASURE: ERASURE_COMPLETED}


@dataclass(frozen=True)
class Subject:
    """The person a request is about, as services can recognise them."""

    #: HMAC-SHA256 hex of the case-folded email (`lookup_key`)
    key: str
    #: registration's application ids for that email
    application_ids: tuple[int, ...] = ()

    def matches(self, settings, email: str | None) -> bool:
        return bool(email) and hmac.compare_digest(lookup_key(settings, email), self.key)


def lookup_key(settings, email: str) -> str:
    """The key an email is looked up by on the bus: keyed, so it cannot be reversed by guessing."""
    secret = settings.secret_key.encode()
    return hmac.new(secret, b"kx.privacy:" + email.strip().casefold().encode(), hashlib.sha256).hexdigest()


def one_month_after(moment: datetime) -> datetime:
    """A request's due date: one calendar month after receipt, as the ICO counts it (received on
    31 January, due on the last day of February), in the programme's zone."""
    local = moment.astimezone(LONDON)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def scrub_outbox(session: Session, emails: Iterable[str]) -> int:
    """Delete this service's outbox rows (sent or not) whose envelope names one of `emails`.

    Sent rows are otherwise kept a week for inspection; an erased person's events must not be, and
    an unsent event about them must not go out after they were erased.
    """
    emails = sorted({e for e in emails if e})
    if not emails:
        return 0
    outbox = session.info["kx_service"].outbox
    return changed(session.execute(delete(outbox).where(or_(*(outbox.envelope.contains(e) for e in emails)))))


def forget_sent_answers(session: Session) -> int:
    """Delete the published copies of this service's access answers: once registration has them,
    the outbox need not keep a second copy of someone's data for its week of inspection."""
    outbox = session.info["kx_service"].outbox
    return changed(session.execute(
        delete(outbox).where(outbox.type == ANSWERED[ACCESS], outbox.sent_at.is_not(None))))


class ProgrammeEndMixin:
    """When the programme ended, as registration last announced it (one row, id 1).

    Retention counts from it: personal data is erased `KX_RETENTION_DAYS` after this moment.
    """

    __tablename__ = "programme_end"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: the last exchange's reflection session (its end when it has none); empty with no exchanges
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: the time of the announcement it came from; an older one never overwrites it
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)


def programme_end_model(session: Session):
    base = session.info["kx_service"].base
    return next(m.class_ for m in base.registry.mappers if m.class_.__tablename__ == "programme_end")


def record_programme_end(session: Session, ends_at: datetime | None, as_of: datetime) -> bool:
    """Keep the newest programme end; True when it changed."""
    model = programme_end_model(session)
    row = session.get(model, 1)
    if row is not None and (row.as_of > as_of or row.ends_at == ends_at):
        return False
    if row is None:
        row = model(id=1)
        session.add(row)
    row.ends_at, row.as_of = ends_at, as_of
    return True


def retention_cutoff(session: Session) -> datetime | None:
    """The moment after which personal data of the programme is no longer kept, if known."""
    row = session.get(programme_end_model(session), 1)
    if row is None or row.ends_at is None:
        return None
    return row.ends_at + timedelta(days=session.info["kx_settings"].retention_days)


# --- what every service plugs its three functions into -----------------------------------------------


@dataclass(frozen=True)
class PrivacyParts:
    """One service's answers: its export, its erasure and its retention sweep."""

    export: Callable[[Session, Subject], dict]
    #: returns what it did, as `{"erased": {table: rows}, "retained": [what is kept, and why]}`
    erase: Callable[[Session, Subject], dict]
    #: erases every subject; returns how many rows it changed (0 when there was nothing left)
    forget_everyone: Callable[[Session], int]


def handlers(parts: PrivacyParts) -> tuple[Handler, ...]:
    """The bus handlers of a service other than registration: answer requests, learn the programme's end."""

    def on_request(session: Session, envelope: dict, data: dict) -> None:
        subject = Subject(data["subject_key"], tuple(data["application_ids"]))
        service = session.info["kx_service"].name
        kind = ACCESS if envelope["type"] == REQUESTED[ACCESS] else ERASURE
        if kind == ACCESS:
            answer = parts.export(session, subject)
        else:
            forget_sent_answers(session)
            answer = parts.erase(session, subject)
        emit(session, ANSWERED[kind], {"request_id": data["request_id"], "service": service, "data": answer})

    def on_programme(session: Session, envelope: dict, data: dict) -> None:
        if "code" in data:  # one programme's news, kept by shared/programme_projection.py: a programme
            return  # ending earlier than another must not bring everyone's erasure forward
        record_programme_end(session, data["ends_at"], event_time(envelope))

    return (
        Handler("privacy-requests", tuple(REQUESTED.values()), on_request),
        Handler("programme-end", (PROGRAMME_UPDATED,), on_programme),
    )


def retention_job(parts: PrivacyParts, before: Callable[[Session, datetime], int] | None = None) -> Periodic:
    """The service's retention job: past the cutoff, erase everyone. `run(runtime, now)` takes the
    clock as an argument so that tests can freeze it."""

    def run(runtime, now: datetime | None = None) -> int:
        now = now or utcnow()
        with runtime.session() as session, session.begin():
            done = forget_sent_answers(session)
            done += before(session, now) if before is not None else 0
            cutoff = retention_cutoff(session)
            if cutoff is None or now < cutoff:
                return done
            return done + parts.forget_everyone(session)

    return Periodic("retention", run, interval=3600.0)


def rows_json(rows, *names: str) -> list[dict]:
    """Rows as JSON-ready dicts of the named attributes (datetimes and dates as ISO 8601)."""
    return [{name: _plain(getattr(row, name)) for name in names} for row in rows]


def _plain(value):
    if isinstance(value, datetime):
        return iso(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def among(column, ids: Iterable[int] | None):
    """`column IN ids`, or every row when `ids` is None (retention: everyone)."""
    return true() if ids is None else column.in_(list(ids))


def changed(result) -> int:
    return result.rowcount or 0


def create_programme_end_table() -> None:
    """The migration of every service's `programme_end` table (see ProgrammeEndMixin)."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        "programme_end",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_end")),
    )
