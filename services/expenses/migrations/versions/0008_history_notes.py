"""What people wrote on a claim's history moves beside it, into `claim_history_notes`, so that
erasure can remove it while the append-only history keeps its lines.

Existing notes written by a person (every line but a payment run's `added_to_run`,
`removed_from_run` and `paid`, whose notes the system wrote) are copied there and emptied on the
history line. Only this migration may do so: it lifts the history's triggers for that one UPDATE
and puts them back in the same transaction.

Revision ID: expenses_0008
Revises: expenses_0007
"""

import sqlalchemy as sa
from alembic import op

revision = "expenses_0008"
down_revision = "expenses_0007"
branch_labels = None
depends_on = None

SYSTEM_NOTES = "('added_to_run', 'removed_from_run', 'paid')"


def upgrade() -> None:
    op.create_table(
        "claim_history_notes",
        sa.Column("history_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("history_id", name=op.f("pk_claim_history_notes")),
    )
    with op.batch_alter_table("claim_history_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_history_notes_claim_id"), ["claim_id"], unique=False)
    op.execute(f"""INSERT INTO claim_history_notes (history_id, claim_id, text)
                   SELECT id, claim_id, note FROM claim_history
                   WHERE note IS NOT NULL AND action NOT IN {SYSTEM_NOTES}""")
    _rewrite_history(f"UPDATE claim_history SET note = NULL WHERE note IS NOT NULL AND action NOT IN {SYSTEM_NOTES}")


def downgrade() -> None:
    _rewrite_history("""UPDATE claim_history SET note = (
                            SELECT text FROM claim_history_notes WHERE history_id = claim_history.id)
                        WHERE id IN (SELECT history_id FROM claim_history_notes)""")
    with op.batch_alter_table("claim_history_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_history_notes_claim_id"))
    op.drop_table("claim_history_notes")


def _rewrite_history(statement: str) -> None:
    """One UPDATE of the append-only history, its update trigger lifted only around it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE claim_history DISABLE TRIGGER claim_history_no_update")
        op.execute(statement)
        op.execute("ALTER TABLE claim_history ENABLE TRIGGER claim_history_no_update")
    else:
        op.execute("DROP TRIGGER claim_history_no_update")
        op.execute(statement)
        op.execute("""CREATE TRIGGER claim_history_no_update BEFORE UPDATE ON claim_history
                      BEGIN SELECT RAISE(ABORT, 'claim_history is append-only'); END""")
