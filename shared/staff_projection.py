"""Which staff tokens are revoked: every service's projection of accounts' token versions.

Registration raises an account's `token_version` when it signs out, is deactivated, or has its
roles, scopes or password changed, and says so in `registration.staff.updated`. Each other
service keeps the newest version and whether the account is active here (`staff_versions`), so
that `shared.auth` refuses an older token with one lookup by primary key, without asking
registration. Registration reads its own accounts instead (`Service.staff_standing`).

An account this projection has not heard of is not refused: its event may still be on the way,
and tokens signed before this projection existed name accounts it never saw.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Boolean, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from .events import STAFF_UPDATED
from .projections import ProjectedRow, event_time, pending_or_stored, upsert_if_newer
from .service import Handler

TABLE = "staff_versions"


@dataclass(frozen=True)
class Standing:
    """What a service knows of an account: the version its tokens must have, and whether it may
    sign in at all."""

    token_version: int
    active: bool

    def refuses(self, token_version: int) -> bool:
        return not self.active or token_version < self.token_version


class StaffVersionMixin(ProjectedRow):
    """An account's current token version, as registration last announced it: a projection of
    `registration.staff.updated` (no email, roles or name kept: only what revokes a token)."""

    __tablename__ = TABLE

    staff_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: tokens signed with an older version are refused
    token_version: Mapped[int] = mapped_column(Integer)
    #: a deactivated account's tokens are all refused
    active: Mapped[bool] = mapped_column(Boolean)


def staff_version_model(session: Session):
    return _model(session, TABLE)


def _model(session: Session, table: str):
    base = session.info["kx_service"].base
    return next(m.class_ for m in base.registry.mappers if m.class_.__tablename__ == table)


def projected_standing(session: Session, staff_id: int) -> Standing | None:
    """The standing this service's projection holds for an account (None: not heard of yet)."""
    row = session.get(staff_version_model(session), staff_id)
    return None if row is None else Standing(row.token_version, row.active)


def project_staff(session: Session, envelope: dict, data: dict) -> None:
    """Keep the newest version. A version only goes up, so a lower one is an older event whatever
    its time; between events of one version (deactivated, then reactivated) the newer time wins."""
    model = staff_version_model(session)
    row = pending_or_stored(session, model, {"staff_id": data["id"]})
    if row is not None and row.token_version > data["token_version"]:
        return
    upsert_if_newer(session, model, {"staff_id": data["id"]}, event_time(envelope),
                    {"token_version": data["token_version"], "active": data["active"]})


#: add to the HANDLERS of every service but registration
HANDLER = Handler("staff-versions", (STAFF_UPDATED,), project_staff)


def create_staff_versions_table() -> None:
    """The migration of a service's `staff_versions` table (see StaffVersionMixin)."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        TABLE,
        sa.Column("staff_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("token_version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_versions")),
    )


def drop_staff_versions_table() -> None:
    from alembic import op

    op.drop_table(TABLE)


# --- where and in which language to write to staff ------------------------------------------------

CONTACTS = "staff_contacts"

#: the language of an address no account has (a shared mailbox on a theme's notify list)
DEFAULT_LANGUAGE = "en"


class StaffContactMixin(ProjectedRow):
    """Where and in which language to write to a member of staff: a projection of
    `registration.staff.updated`, kept only by the services that write to staff or choose who is
    written to (notifications; learning, for the packs' languages). Its email, the language on the
    account, whether it is active and whether it has finance (who is told of claims): no name, no
    other role, no scope."""

    __tablename__ = CONTACTS

    staff_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: the account's email address, case-folded
    email: Mapped[str] = mapped_column(String(320), index=True)
    #: en | cy: the language its emails go in (the account's own choice, or the programme team's)
    language: Mapped[str] = mapped_column(String(2))
    #: whether the account has the finance role (finance are told of claims to decide)
    finance: Mapped[bool] = mapped_column(Boolean)
    #: a deactivated account is told nothing as finance
    active: Mapped[bool] = mapped_column(Boolean)


def project_contact(session: Session, envelope: dict, data: dict) -> None:
    """Keep the newest account details (by the event's time: a change of language raises no version)."""
    upsert_if_newer(session, _model(session, CONTACTS), {"staff_id": data["id"]}, event_time(envelope),
                    {"email": data["email"].lower(), "language": data["language"],
                     "finance": "finance" in data["roles"], "active": data["active"]})


#: add to the HANDLERS of a service with a `staff_contacts` table
CONTACTS_HANDLER = Handler("staff-contacts", (STAFF_UPDATED,), project_contact)


def language_of(session: Session, email: str, default: str = DEFAULT_LANGUAGE) -> str:
    """The language to write to `email` in: its account's, or `default` for an address no account has
    (an active account's before a deactivated one with the same address)."""
    model = _model(session, CONTACTS)
    language = session.scalar(select(model.language).where(model.email == email.lower())
                              .order_by(model.active.desc(), model.event_time.desc()).limit(1))
    return language or default


def finance_contacts(session: Session, but: int | None = None) -> list[tuple[str, str]]:
    """(email, language) of every active finance account (`but` the account of that staff id), by email."""
    model = _model(session, CONTACTS)
    query = select(model.email, model.language).where(model.finance.is_(True), model.active.is_(True))
    if but is not None:
        query = query.where(model.staff_id != but)
    return [(row.email, row.language) for row in session.execute(query.order_by(model.email))]


def create_staff_contacts_table() -> None:
    """The migration of a service's `staff_contacts` table (see StaffContactMixin)."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        CONTACTS,
        sa.Column("staff_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("finance", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_contacts")),
    )
    op.create_index(op.f("ix_staff_contacts_email"), CONTACTS, ["email"])


def drop_staff_contacts_table() -> None:
    from alembic import op

    op.drop_index(op.f("ix_staff_contacts_email"), table_name=CONTACTS)
    op.drop_table(CONTACTS)
