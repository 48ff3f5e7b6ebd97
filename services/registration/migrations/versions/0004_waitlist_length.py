"""The waiting list's length kept on the exchange's row, beside `confirmed_count`, so that an
application decides its place from that row alone, without counting bookings under the lock.

Revision ID: registration_0004
Revises: registration_0003
"""

from alembic import op

revision = "registration_0004"
down_revision = "registration_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One statement that PostgreSQL and SQLite both take (SQLite adds a column with its CHECK only
    # this way, without rebuilding the table).
    op.execute("ALTER TABLE exchanges ADD COLUMN waitlist_length INTEGER DEFAULT 0 NOT NULL "
               "CONSTRAINT ck_exchanges_waitlist_not_negative CHECK (waitlist_length >= 0)")
    op.execute("UPDATE exchanges SET waitlist_length = (SELECT count(*) FROM bookings "
               "WHERE bookings.exchange_id = exchanges.id AND bookings.status = 'waitlisted')")


def downgrade() -> None:
    with op.batch_alter_table("exchanges") as batch:
        batch.drop_constraint(op.f("ck_exchanges_waitlist_not_negative"), type_="check")
        batch.drop_column("waitlist_length")
