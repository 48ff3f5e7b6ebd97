"""Migration 0008 moves what people wrote on existing history lines into `claim_history_notes`
(erasable), leaves the system's own notes on their lines, and leaves the history append-only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import DatabaseError

from services.expenses.service import SERVICE
from shared.config import load
from shared.migrations import alembic_config, upgrade
from shared.service import Runtime
from shared.testing import distributed_env

LINES = [(1, "created", None), (2, "queried", "Which station did you travel from?"), (3, "answered", "Cardiff"),
         (4, "added_to_run", "payment run 3"), (5, "paid", "payment run 3")]


def _check(runtime: Runtime) -> None:
    try:
        upgrade(runtime, "expenses_0007")
        with runtime.engine.begin() as connection:
            for row_id, action, note in LINES:
                connection.execute(sa.text(
                    "INSERT INTO claim_history (id, claim_id, at, actor_kind, actor_name, action, to_status, note) "
                    "VALUES (:id, 9, CURRENT_TIMESTAMP, 'finance', 'F', :action, 'paid', :note)"),
                    {"id": row_id, "action": action, "note": note})
        upgrade(runtime)
        with runtime.engine.connect() as connection:
            notes = dict(connection.execute(sa.text("SELECT history_id, text FROM claim_history_notes")).all())
            kept = dict(connection.execute(sa.text("SELECT id, note FROM claim_history")).all())
        assert notes == {2: "Which station did you travel from?", 3: "Cardiff"}
        assert kept == {1: None, 2: None, 3: None, 4: "payment run 3", 5: "payment run 3"}
        with runtime.engine.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
            connection.execute(sa.text("UPDATE claim_history SET note = 'rewritten'"))

        config = alembic_config(runtime)
        with runtime.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "expenses_0007")
            back = dict(connection.execute(sa.text("SELECT id, note FROM claim_history")).all())
        assert back == {row_id: note for row_id, _action, note in LINES}
    finally:
        runtime.dispose()


def test_written_notes_move_out_of_the_history_on_sqlite(embedded_settings):
    _check(Runtime(SERVICE, embedded_settings))


@pytest.mark.integration
def test_written_notes_move_out_of_the_history_on_postgresql(rabbitmq, pg_schemas, tmp_path):
    _check(Runtime(SERVICE, load(distributed_env(rabbitmq, pg_schemas, tmp_path))))
