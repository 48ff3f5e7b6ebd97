"""The claim history: every change, written once, never changed.

Append-only at two levels. In the code: the only writer is `record()`, and a session guard refuses
to flush a changed or deleted history row and refuses UPDATE or DELETE statements against the table
(so even a bulk `update()` cannot slip past). In the database: triggers created by the migration
refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) whoever connects, so a mistake in some later
code, or a hand-typed statement, fails loudly instead of rewriting what an auditor relies on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from shared.db import utcnow

from ..models import Claim, ClaimHistory, HistoryNote


class AppendOnlyError(Exception):
    """Something tried to change or delete a history row."""


@dataclass(frozen=True)
class Actor:
    #: claimant | finance | system
    kind: str
    id: int | None
    name: str

    @classmethod
    def staff(cls, staff) -> Actor:
        return cls("finance", staff.id, staff.name or f"Staff {staff.id}")


CLAIMANT = Actor("claimant", None, "Claimant")


def record(session: Session, claim: Claim, action: str, actor: Actor, from_status: str | None,
           note: str | None = None) -> None:
    """One line; `note` is what a person wrote (or the masked bank change), kept apart to be erasable."""
    session.add(ClaimHistory(claim_id=claim.id, at=utcnow(), actor_kind=actor.kind, actor_id=actor.id,
                             actor_name=actor.name, action=action, from_status=from_status,
                             to_status=claim.status,
                             written=HistoryNote(claim_id=claim.id, text=note) if note else None))


def record_many(session: Session, claim_ids: list[int], action: str, actor: Actor, from_status: str,
                to_status: str, note: str | None = None) -> None:
    """One history row per claim, in one statement (payment runs move thousands of claims); `note`
    is the system's own (`payment run 12`), kept on the line."""
    if not claim_ids:
        return
    now = utcnow()
    session.execute(insert(ClaimHistory), [
        {"claim_id": claim_id, "at": now, "actor_kind": actor.kind, "actor_id": actor.id,
         "actor_name": actor.name, "action": action, "from_status": from_status, "to_status": to_status,
         "note": note} for claim_id in claim_ids])


@event.listens_for(Session, "before_flush")
def _refuse_changes(session, _context, _instances):
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, ClaimHistory) and (row in session.deleted or session.is_modified(row)):
            raise AppendOnlyError("claim history is append-only")


@event.listens_for(Session, "do_orm_execute")
def _refuse_statements(state):
    if (state.is_update or state.is_delete) and ClaimHistory.__table__ in _tables(state.statement):
        raise AppendOnlyError("claim history is append-only")


def _tables(statement) -> set:
    table = getattr(statement, "table", None)
    return {table} if table is not None else set()
