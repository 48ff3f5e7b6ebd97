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

from sqlalchemy import Boolean, Integer
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
    base = session.info["kx_service"].base
    return next(m.class_ for m in base.registry.mappers if m.class_.__tablename__ == TABLE)


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
