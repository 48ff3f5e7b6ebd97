"""Notifications' tables: messages and their attachments (the delivery log), the reminder
schedule, host announcements, and the projections of exchanges, bookings and manage links.

Revision ID: notifications_0002
Revises: notifications_0001
"""

import sqlalchemy as sa
from alembic import op


revision = 'notifications_0002'
down_revision = 'notifications_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('announcement',
    sa.Column('exchange_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('contacts', sa.Text(), nullable=False),
    sa.Column('timings', sa.Text(), nullable=False),
    sa.Column('venue', sa.Text(), nullable=False),
    sa.Column('access', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('exchange_id', name=op.f('pk_announcement'))
    )
    op.create_table('booking',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_booking'))
    )
    op.create_index(op.f('ix_booking_exchange_id'), 'booking', ['exchange_id'], unique=False)
    op.create_table('exchange',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('site', sa.String(length=300), nullable=False),
    sa.Column('town', sa.String(length=200), nullable=False),
    sa.Column('host_name', sa.String(length=300), nullable=False),
    sa.Column('orientation_starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('orientation_url', sa.String(length=500), nullable=True),
    sa.Column('reflection_starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reflection_url', sa.String(length=500), nullable=True),
    sa.Column('as_of', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange'))
    )
    op.create_table('manage_link',
    sa.Column('application_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_manage_link'))
    )
    op.create_table('message',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
    sa.Column('event_id', sa.String(length=64), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('template', sa.String(length=60), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=False),
    sa.Column('message_id_header', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('resend_of', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['resend_of'], ['message.id'], name=op.f('fk_message_resend_of_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_message')),
    sa.UniqueConstraint('event_id', 'recipient', 'template', name=op.f('uq_message_event_id_recipient_template')),
    sa.UniqueConstraint('message_id_header', name=op.f('uq_message_message_id_header'))
    )
    op.create_index(op.f('ix_message_recipient'), 'message', ['recipient'], unique=False)
    op.create_index('ix_message_status_next_attempt_at', 'message', ['status', 'next_attempt_at'], unique=False)
    op.create_table('attachment',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_attachment_message_id_message'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    op.create_index(op.f('ix_attachment_message_id'), 'attachment', ['message_id'], unique=False)
    op.create_table('reminder',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('offset_minutes', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('message_id', sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
    sa.ForeignKeyConstraint(['booking_id'], ['booking.id'], name=op.f('fk_reminder_booking_id_booking')),
    sa.ForeignKeyConstraint(['message_id'], ['message.id'], name=op.f('fk_reminder_message_id_message')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sa.UniqueConstraint('booking_id', 'kind', 'offset_minutes', name=op.f('uq_reminder_booking_id_kind_offset_minutes'))
    )
    op.create_index(op.f('ix_reminder_booking_id'), 'reminder', ['booking_id'], unique=False)
    op.create_index(op.f('ix_reminder_exchange_id'), 'reminder', ['exchange_id'], unique=False)
    op.create_index('ix_reminder_status_due_at', 'reminder', ['status', 'due_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reminder_status_due_at', table_name='reminder')
    op.drop_index(op.f('ix_reminder_exchange_id'), table_name='reminder')
    op.drop_index(op.f('ix_reminder_booking_id'), table_name='reminder')
    op.drop_table('reminder')
    op.drop_index(op.f('ix_attachment_message_id'), table_name='attachment')
    op.drop_table('attachment')
    op.drop_index('ix_message_status_next_attempt_at', table_name='message')
    op.drop_index(op.f('ix_message_recipient'), table_name='message')
    op.drop_table('message')
    op.drop_table('manage_link')
    op.drop_table('exchange')
    op.drop_index(op.f('ix_booking_exchange_id'), table_name='booking')
    op.drop_table('booking')
    op.drop_table('announcement')
