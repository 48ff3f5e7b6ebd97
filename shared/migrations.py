"""Alembic, driven from code: each service keeps its own migrations in `<service>/migrations/`.

`upgrade(runtime)` brings one service's database to the latest schema; `kx migrate` calls it for
each service. Every service's `migrations/env.py` is two lines that call `run_env()`.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .service import Runtime


def alembic_config(runtime: Runtime) -> Config:
    config = Config()
    config.set_main_option("script_location", str(runtime.service.migrations_dir))
    config.attributes["runtime"] = runtime
    return config


def upgrade(runtime: Runtime, revision: str = "head") -> None:
    config = alembic_config(runtime)
    with runtime.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def is_current(runtime: Runtime) -> bool:
    script = ScriptDirectory.from_config(alembic_config(runtime))
    with runtime.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(script.get_heads())


def run_env() -> None:
    """The body of every service's `env.py`."""
    from alembic import context

    runtime: Runtime = context.config.attributes["runtime"]
    connection = context.config.attributes.get("connection")
    metadata = runtime.service.base.metadata
    if connection is None:
        with runtime.engine.begin() as connection:
            _migrate(context, connection, metadata)
    else:
        _migrate(context, connection, metadata)


def _migrate(context, connection, metadata) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def create_bus_tables() -> None:
    """Every service's first migration: its outbox and its inbox (see shared/outbox.py, inbox.py)."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=120), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_event_id")),
    )
    op.create_index(
        "ix_outbox_unsent", "outbox", ["id"], unique=False,
        postgresql_where=sa.text("sent_at IS NULL"), sqlite_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(length=120), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_inbox")),
    )
