"""The audit log: what members of staff changed, in every service, written once and never rewritten.

Each service has its own `audit` table (`AuditMixin`, a model module `models/audit.py`, created by
`create_audit_table()` in a migration). An operation that a member of staff drives calls

    audit.record(session, staff, "exchange.capacity", ("exchange", exchange.id), before, after)

inside its transaction (it only adds the row; the request commits it): `before` and `after` are
dicts of the fields as they were and became (None for a creation or a removal). Only the fields
that changed are kept, and never a password, bank details or health data (`NEVER`); a change that
changed nothing is not written. `GET /<prefix>/api/audit` and the admin page read it (`entries`).

Append-only, as expenses' claim history (services/expenses/operations/history.py) is, at two levels:
a session guard refuses to flush a changed or deleted audit row and refuses UPDATE and DELETE
statements against the table; the migration's triggers refuse DELETE (and TRUNCATE) whoever asks.
One change only is allowed, because the law requires it: erasing a person's data from the rows
that name them (`erase`, `forget_everyone`). The guard lets through only an UPDATE that carries
the `kx_audit_erasure` execution option, and the triggers only an UPDATE that keeps the row's
time, action, subject and actor id and marks it erased (`erased_at`).

A row names a person by their email: the actor's, or an email in `before`/`after` (a host
account, a theme's notify list). Each row keeps the lookup keys of the emails it names
(`people`, shared/privacy.py's HMAC), so that a subject access or erasure request, which carries
only the key, finds them without the email ever being stored twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Integer, String, Text, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UtcDateTime, utcnow
from .privacy import Subject, lookup_key
from .times import iso

TABLE = "audit"
ERASED = "[erased]"
#: fields never written to the log, whatever an operation passes: secrets, bank details, health data
NEVER = frozenset({"password", "password_hash", "token", "token_hash", "manage_token_hash", "totp_secret",
                   "recovery_codes", "bank", "bank_ciphertext", "bank_last4", "bank_key_id", "sort_code",
                   "account_number", "account_name", "access_needs", "text", "comment", "reflection"})
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

#: every action code, with the words the admin page shows for it (one vocabulary for all services)
ACTIONS = {
    # registration
    "staff.invited": _l("Staff account invited"),
    "staff.changed": _l("Staff account changed"),
    "staff.deactivated": _l("Staff account deactivated"),
    "staff.reactivated": _l("Staff account reactivated"),
    "staff.two_factor_on": _l("Two-step verification turned on"),
    "staff.two_factor_off": _l("Two-step verification turned off"),
    "staff.recovery_codes": _l("New recovery codes made"),
    "staff.invitation_resent": _l("Invitation sent again"),
    "staff.signed_out": _l("Signed out everywhere"),
    "staff.locked_out": _l("Locked after failed sign-ins"),
    "staff.signed_in": _l("Signed in"),
    "theme.created": _l("Theme created"),
    "theme.changed": _l("Theme changed"),
    "exchange.created": _l("Exchange created"),
    "exchange.changed": _l("Exchange changed"),
    "exchange.capacity": _l("Capacity changed"),
    "exchange.closed": _l("Applications closed"),
    "exchange.reopened": _l("Applications reopened"),
    "exchange.published": _l("Exchange published"),
    "attendance.recorded": _l("Attendance recorded"),
    "booking.cancelled": _l("Booking cancelled for the person"),
    "booking.moved": _l("Booking moved to another exchange"),
    "privacy.requested": _l("Privacy request made"),
    # learning
    "summary.submitted": _l("Summary submitted"),
    "summary.approved": _l("Summary approved"),
    "summary.returned": _l("Summary returned"),
    "settings.changed": _l("Programme settings changed"),
    "learning_theme.changed": _l("Theme settings changed"),
    "quotes.picked": _l("Quotes for the pack chosen"),
    "reflection.folded_in": _l("Reflection marked as folded in"),
    "synthesis.saved": _l("Theme synthesis saved"),
    "synthesis.published": _l("Theme synthesis published"),
    # expenses
    "claim.approved": _l("Claim approved"),
    "claim.rejected": _l("Claim rejected"),
    "claim.queried": _l("Claim queried"),
    "payment_run.created": _l("Payment run created"),
    "payment_run.approved": _l("Payment run approved"),
    "payment_run.confirmed": _l("Payment run confirmed"),
    "payment_run.cancelled": _l("Payment run cancelled"),
    # notifications
    "announcement.written": _l("Joining information sent"),
    "message.sent": _l("Message sent to people"),
    "message.resent": _l("Message resent"),
}


class AppendOnlyError(Exception):
    """Something tried to change or delete an audit row other than by erasing personal data."""


class AuditMixin:
    """One change a member of staff made. Never updated, except to erase a person's data; never deleted."""

    __tablename__ = TABLE

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    #: the staff account's id (registration's), from their token
    actor_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    #: the staff member's email as their token gave it; emptied when they are erased
    actor_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    #: a code of ACTIONS, e.g. `exchange.capacity`
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: what was changed: its kind (`exchange`, `claim`, ...) and id
    subject_kind: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[str] = mapped_column(String(100))
    #: the changed fields as they were (None: it was created) and as they became (None: removed)
    before: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    #: the lookup keys (shared/privacy.py) of the emails this row names, space-separated
    people: Mapped[str] = mapped_column(Text, default="")
    #: when a person's data was last erased from this row
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


def audit_model(session: Session):
    """The service's audit model (its `models/audit.py`), found from the session's base."""
    base = session.info["kx_service"].base
    return next(m.class_ for m in base.registry.mappers if m.class_.__tablename__ == TABLE)


# --- writing -------------------------------------------------------------------------------------------


def record(session: Session, staff, action: str, subject: tuple[str, object], before: dict | None,
           after: dict | None):
    """Add an audit row for a change `staff` made to `subject` (`(kind, id)`), in the caller's
    transaction. Returns the row, or None when nothing changed."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: add it to shared.audit.ACTIONS")
    before, after = _changed(_plain(before), _plain(after))
    if before == {} and after == {}:
        return None
    email = getattr(staff, "email", None) or None
    row = audit_model(session)(
        at=utcnow(), actor_id=getattr(staff, "id", None), actor_email=email, action=action,
        subject_kind=subject[0], subject_id=str(subject[1]), before=before, after=after,
        people=_keys(session, [email, *_emails(before), *_emails(after)]))
    session.add(row)
    return row


def _plain(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {name: _json(value) for name, value in values.items() if name not in NEVER}


def _json(value):
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(_json(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    return value


def _changed(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    """Only the fields whose values differ (all of them for a creation or a removal)."""
    if before is None or after is None:
        return before, after
    names = [n for n in {**before, **after} if before.get(n) != after.get(n)]
    return {n: before.get(n) for n in names}, {n: after.get(n) for n in names}


def _emails(value) -> list[str]:
    if isinstance(value, str):
        return [value] if _EMAIL.fullmatch(value.strip()) else []
    if isinstance(value, dict):
        return [e for v in value.values() for e in _emails(v)]
    if isinstance(value, list):
        return [e for v in value for e in _emails(v)]
    return []


def _keys(session: Session, emails: Iterable[str | None]) -> str:
    settings = session.info["kx_settings"]
    keys = sorted({lookup_key(settings, e) for e in emails if e})
    return f" {' '.join(keys)} " if keys else ""


# --- reading -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filter:
    """What `GET /<prefix>/api/audit` and the admin page select by."""

    #: a staff id, or (part of) an email
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    #: exclusive
    until: datetime | None = None
    page: int = 1
    per_page: int = 50


def entries(session: Session, f: Filter) -> tuple[list, int]:
    """One page of the log, newest first, and how many rows the whole selection has."""
    model = audit_model(session)
    query = select(model)
    if f.actor:
        query = query.where(model.actor_id == int(f.actor) if f.actor.isdecimal()
                            else func.lower(model.actor_email).contains(f.actor.strip().lower()))
    if f.action:
        query = query.where(model.action == f.action)
    if f.since:
        query = query.where(model.at >= f.since)
    if f.until:
        query = query.where(model.at < f.until)
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    rows = session.scalars(query.order_by(model.at.desc(), model.id.desc())
                           .limit(f.per_page).offset((f.page - 1) * f.per_page))
    return list(rows), total or 0


def as_entry(row) -> dict:
    """A row as the API answers it (`outputs`: AuditEntryOutput)."""
    return {"at": row.at, "actor": {"id": row.actor_id, "email": row.actor_email}, "action": row.action,
            "subject": {"kind": row.subject_kind, "id": row.subject_id}, "before": row.before, "after": row.after}


def boundary(value: str, end: bool = False) -> datetime:
    """`since`/`until` as given: an ISO 8601 moment with its offset, or a date (the start of that
    day, UTC; for `until` the start of the next, so that the day itself is included)."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise ValueError("give an offset") from None
        return moment
    start = datetime.combine(day, time(), tzinfo=UTC)
    return start + timedelta(days=1) if end else start


# --- personal data (docs/privacy.md) -------------------------------------------------------------------


def _naming(session: Session, subject: Subject):
    model = audit_model(session)
    return model, session.scalars(select(model).where(model.people.contains(f" {subject.key} "))
                                  .order_by(model.at, model.id))


def export(session: Session, subject: Subject) -> list[dict]:
    """The rows that name the subject (their part of a subject access request): what was changed and
    when, and whether they made the change; the actor's email only when it is theirs."""
    settings = session.info["kx_settings"]
    _model, rows = _naming(session, subject)
    return [{"at": iso(r.at), "action": r.action, "subject": {"kind": r.subject_kind, "id": r.subject_id},
             "before": r.before, "after": r.after, "by_them": subject.matches(settings, r.actor_email)}
            for r in rows]


def erase(session: Session, subject: Subject) -> int:
    """Erase the subject from every row that names them: their email as the actor, and their email
    (and the name beside it) in `before` and `after`. Returns how many rows changed."""
    settings = session.info["kx_settings"]
    model, rows = _naming(session, subject)
    return _scrub(session, model, list(rows), lambda email: subject.matches(settings, email))


def forget_everyone(session: Session) -> int:
    """Retention: erase every email (and the name beside it) from every row. Idempotent."""
    model = audit_model(session)
    rows = list(session.scalars(select(model).where(model.people != "")))
    return _scrub(session, model, rows, lambda email: True)


def _scrub(session: Session, model, rows: list, whose) -> int:
    now = utcnow()
    for row in rows:
        actor = None if row.actor_email and whose(row.actor_email) else row.actor_email
        before, after = _without(row.before, whose), _without(row.after, whose)
        kept = _keys(session, [actor, *_emails(before), *_emails(after)])
        values = {"actor_email": actor, "before": before, "after": after, "people": kept, "erased_at": now}
        session.execute(update(model).where(model.id == row.id).values(**values)
                        .execution_options(kx_audit_erasure=True, synchronize_session=False))
        session.expire(row)
    return len(rows)


def _without(value, whose):
    """`value` with every email `whose` accepts replaced by ERASED, and in a dict that held one, its name."""
    if isinstance(value, str):
        return ERASED if _EMAIL.fullmatch(value.strip()) and whose(value) else value
    if isinstance(value, list):
        return [_without(v, whose) for v in value]
    if isinstance(value, dict):
        cleaned = {k: _without(v, whose) for k, v in value.items()}
        if cleaned != value and "name" in cleaned:
            cleaned["name"] = ERASED
        return cleaned
    return value


# --- append-only ---------------------------------------------------------------------------------------


@event.listens_for(Session, "before_flush")
def _refuse_changes(session, _context, _instances):
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, AuditMixin) and (row in session.deleted or session.is_modified(row)):
            raise AppendOnlyError("the audit log is append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_statements(state):
    if not (state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if table is None or table.name != TABLE:
        return
    if state.is_delete or not state.execution_options.get("kx_audit_erasure"):
        raise AppendOnlyError("the audit log is append-only")


# --- the migration -------------------------------------------------------------------------------------

#: what an erasure may not change: when, what, about what and who (by id)
_KEPT = ("id", "at", "action", "subject_kind", "subject_id")


def create_audit_table() -> None:
    """The migration of a service's `audit` table, with the triggers that keep it append-only."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_email", sa.String(length=320), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("subject_kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=100), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("people", sa.Text(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
    )
    for column in ("at", "actor_id", "action"):
        op.create_index(op.f(f"ix_audit_{column}"), TABLE, [column], unique=False)
    kept = " AND ".join(f"NEW.{c} = OLD.{c}" for c in _KEPT)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND {kept} AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
                 AND NEW.erased_at IS NOT NULL THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION 'audit is append-only';
            END $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER audit_no_update BEFORE UPDATE OR DELETE ON audit
                      FOR EACH ROW EXECUTE FUNCTION audit_append_only()""")
        op.execute("""CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
                      FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()""")
    else:
        op.execute(f"""CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
                       WHEN NOT ({kept} AND NEW.actor_id IS OLD.actor_id AND NEW.erased_at IS NOT NULL)
                       BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END""")
        op.execute("""CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
                      BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END""")


def drop_audit_table() -> None:
    from alembic import op

    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_append_only() CASCADE")
    op.drop_table(TABLE)
