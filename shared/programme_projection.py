"""The programmes every service knows: a projection of registration's programme events.

Registration owns programmes (code, titles, booking window, end, status, target). Every other
service keeps this projection (`programmes`) to show a programme's title, filter its own records
by programme and count against its target; each of their own records names its programme by code
(`programme` in every event about a programme's things; "default" for what came before there
were programmes, as the migrations to programmes set it).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import UtcDateTime
from .events import PROGRAMME_PUBLISHED, PROGRAMME_UPDATED
from .projections import ProjectedRow, event_time, upsert_if_newer
from .service import Handler

TABLE = "programmes"

#: the programme of everything recorded before a deployment had programmes
DEFAULT = "default"

FIELDS = ("title", "title_cy", "status", "booking_opens_at", "booking_closes_at", "ends_at", "target_people")


class ProgrammeMixin(ProjectedRow):
    """A programme as registration last announced it."""

    __tablename__ = TABLE

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_cy: Mapped[str | None] = mapped_column(String(200))
    #: draft | open | running | closed
    status: Mapped[str] = mapped_column(String(10))
    booking_opens_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    booking_closes_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: how many distinct people the programme means to reach (impact counts against it)
    target_people: Mapped[int | None] = mapped_column(Integer)


def programme_model(session: Session):
    base = session.info["kx_service"].base
    return next(m.class_ for m in base.registry.mappers if m.class_.__tablename__ == TABLE)


def project_programme(session: Session, envelope: dict, data: dict) -> None:
    """Keep the newest announcement of each programme (an announcement without a code is the
    deployment-wide end that shared/privacy.py keeps, not a programme). A programme whose code was
    changed (`renamed_from`) takes this service's records with it."""
    if "code" not in data:
        return
    if data.get("renamed_from"):
        rename(session, data["renamed_from"], data["code"])
    values = {name: data[name] for name in FIELDS if name in data}  # moments come loaded by the schema
    if programme(session, data["code"]) is None:  # an update heard before its programme's publication
        values.setdefault("title", data["code"])
        values.setdefault("status", "open")
    upsert_if_newer(session, programme_model(session), {"code": data["code"]}, event_time(envelope), values)


def rename(session: Session, old: str, new: str) -> None:
    """Move every record of this service under programme `old` to `new`: each table with a
    `programme` column, and the projected programme itself (its newer announcement then applies)."""
    base = session.info["kx_service"].base
    for mapper in base.registry.mappers:
        table = mapper.local_table
        if "programme" in table.columns:
            session.execute(update(table).where(table.c.programme == old).values(programme=new))
    model = programme_model(session)
    known = session.get(model, old)
    if known is not None and session.get(model, new) is None:
        session.execute(update(model.__table__).where(model.__table__.c.code == old).values(code=new))
        session.expire_all()


def programmes(session: Session) -> list:
    """Every programme known here, the newest first (by end; those with no end yet first)."""
    model = programme_model(session)
    return list(session.scalars(select(model).order_by(model.ends_at.desc().nulls_first(), model.code)))


def programme(session: Session, code: str):
    """The programme of that code, or None when this service has not heard of it."""
    return session.get(programme_model(session), code)


#: add to the HANDLERS of every service but registration (with a `programmes` table)
HANDLER = Handler("programmes", (PROGRAMME_PUBLISHED, PROGRAMME_UPDATED), project_programme)


def create_programmes_table() -> None:
    """The migration of a service's `programmes` table (see ProgrammeMixin)."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        TABLE,
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("title_cy", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("booking_opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booking_closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("target_people", sa.Integer(), nullable=True),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_programmes")),
    )


def drop_programmes_table() -> None:
    from alembic import op

    op.drop_table(TABLE)
