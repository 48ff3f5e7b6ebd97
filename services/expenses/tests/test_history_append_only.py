"""The claim history is append-only: the ORM refuses to change or delete a row, and so does the
database itself (triggers), whoever asks."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from services.expenses.models import ClaimHistory
from services.expenses.operations.history import AppendOnlyError

from .conftest import cost, submit


@pytest.fixture
def history_rows(client, bus, runtime):
    assert submit(client, [cost(500)]).status_code == 201
    with runtime.session() as session:
        return session.scalar(select(ClaimHistory.id).order_by(ClaimHistory.id).limit(1))


def test_the_orm_refuses_to_change_a_history_row(runtime, history_rows):
    with runtime.session() as session:
        row = session.get(ClaimHistory, history_rows)
        row.note = "rewritten"
        with pytest.raises(AppendOnlyError):
            session.commit()


def test_the_orm_refuses_to_delete_a_history_row(runtime, history_rows):
    with runtime.session() as session:
        session.delete(session.get(ClaimHistory, history_rows))
        with pytest.raises(AppendOnlyError):
            session.commit()


def test_bulk_statements_against_the_history_are_refused(runtime, history_rows):
    with runtime.session() as session:
        with pytest.raises(AppendOnlyError):
            session.execute(update(ClaimHistory).values(note="rewritten"))
        with pytest.raises(AppendOnlyError):
            session.execute(delete(ClaimHistory))


def test_the_database_refuses_raw_updates_and_deletes(runtime, history_rows):
    for statement in ("UPDATE claim_history SET note = 'rewritten'", "DELETE FROM claim_history"):
        with runtime.engine.connect() as connection:
            with pytest.raises(DatabaseError, match="append-only"):
                connection.execute(text(statement))
            connection.rollback()
    with runtime.session() as session:
        assert session.scalar(select(ClaimHistory.note).where(ClaimHistory.id == history_rows)) is None


def test_there_is_no_update_or_delete_of_the_history_in_the_code():
    from pathlib import Path

    package = Path(__file__).parents[1]
    for source in package.rglob("*.py"):
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        code = source.read_text()
        assert "update(ClaimHistory" not in code and "delete(ClaimHistory" not in code, source
