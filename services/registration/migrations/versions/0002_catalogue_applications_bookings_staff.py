"""The catalogue (themes, sub-themes, exchanges and their hosts), applications, bookings,
attendance, idempotency keys and staff accounts.

Revision ID: registration_0002
Revises: registration_0001
"""

import sqlalchemy as sa
from alembic import op

#: shared.db.UtcDateTime stores this type; the conversion to UTC happens in Python
MOMENT = sa.DateTime(timezone=True)

revision = 'registration_0002'
down_revision = 'registration_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('manage_token_hash', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('email_folded', sa.String(length=320), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=300), nullable=False),
    sa.Column('participant_type', sa.String(length=20), nullable=False),
    sa.Column('stakeholder_group', sa.String(length=120), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('access_needs', sa.Text(), nullable=False),
    sa.Column('line_manager_permission', sa.String(length=20), nullable=False),
    sa.Column('will_attend_sessions', sa.Boolean(), nullable=False),
    sa.Column('privacy_notice_accepted_at', MOMENT, nullable=False),
    sa.Column('created_at', MOMENT, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('manage_token_hash', name=op.f('uq_applications_manage_token_hash'))
    )
    op.create_index(op.f('ix_applications_email_folded'), 'applications', ['email_folded'], unique=False)
    op.create_table('idempotency_keys',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', MOMENT, nullable=False),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_idempotency_keys'))
    )
    op.create_index(op.f('ix_idempotency_keys_created_at'), 'idempotency_keys', ['created_at'], unique=False)
    op.create_table('staff_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', MOMENT, nullable=True),
    sa.Column('last_signed_in_at', MOMENT, nullable=True),
    sa.Column('created_at', MOMENT, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_accounts_email'))
    )
    op.create_table('themes',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_themes'))
    )
    op.create_table('staff_roles',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'theme_lead', 'finance')", name=op.f('ck_staff_roles_role_known')),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_accounts.id'], name=op.f('fk_staff_roles_staff_id_staff_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'role', 'scope', name=op.f('pk_staff_roles'))
    )
    op.create_table('subthemes',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('theme_code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['theme_code'], ['themes.code'], name=op.f('fk_subthemes_theme_code_themes'), onupdate='CASCADE'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_subthemes'))
    )
    op.create_index(op.f('ix_subthemes_theme_code'), 'subthemes', ['theme_code'], unique=False)
    op.create_table('exchanges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('theme_code', sa.String(length=20), nullable=False),
    sa.Column('subtheme_code', sa.String(length=20), nullable=True),
    sa.Column('host_name', sa.String(length=300), nullable=False),
    sa.Column('site', sa.String(length=300), nullable=False),
    sa.Column('town', sa.String(length=120), nullable=False),
    sa.Column('starts_at', MOMENT, nullable=False),
    sa.Column('ends_at', MOMENT, nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('confirmed_count', sa.Integer(), nullable=False),
    sa.Column('booking_closes_at', MOMENT, nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('learning_outcomes', sa.Text(), nullable=False),
    sa.Column('time_commitment', sa.String(length=300), nullable=False),
    sa.Column('orientation_starts_at', MOMENT, nullable=True),
    sa.Column('orientation_url', sa.String(length=500), nullable=True),
    sa.Column('reflection_starts_at', MOMENT, nullable=True),
    sa.Column('reflection_url', sa.String(length=500), nullable=True),
    sa.Column('reserved_experience', sa.Integer(), nullable=False),
    sa.Column('reserved_occupation', sa.Integer(), nullable=False),
    sa.Column('reserved_until', MOMENT, nullable=True),
    sa.Column('created_at', MOMENT, nullable=False),
    sa.Column('updated_at', MOMENT, nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_exchanges_capacity_not_negative')),
    sa.CheckConstraint('confirmed_count <= capacity', name=op.f('ck_exchanges_confirmed_within_capacity')),
    sa.CheckConstraint('confirmed_count >= 0', name=op.f('ck_exchanges_confirmed_not_negative')),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_exchanges_ends_after_start')),
    sa.CheckConstraint('reserved_experience >= 0 AND reserved_occupation >= 0', name=op.f('ck_exchanges_reserved_not_negative')),
    sa.ForeignKeyConstraint(['subtheme_code'], ['subthemes.code'], name=op.f('fk_exchanges_subtheme_code_subthemes'), onupdate='CASCADE'),
    sa.ForeignKeyConstraint(['theme_code'], ['themes.code'], name=op.f('fk_exchanges_theme_code_themes'), onupdate='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchanges'))
    )
    op.create_index(op.f('ix_exchanges_starts_at'), 'exchanges', ['starts_at'], unique=False)
    op.create_index(op.f('ix_exchanges_theme_code'), 'exchanges', ['theme_code'], unique=False)
    op.create_index(op.f('ix_exchanges_town'), 'exchanges', ['town'], unique=False)
    op.create_table('bookings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('email_folded', sa.String(length=320), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('created_at', MOMENT, nullable=False),
    sa.Column('updated_at', MOMENT, nullable=False),
    sa.CheckConstraint("(status = 'waitlisted' AND waitlist_position >= 1) OR (status <> 'waitlisted' AND waitlist_position IS NULL)", name=op.f('ck_bookings_position_only_when_waitlisted')),
    sa.CheckConstraint("status IN ('confirmed', 'waitlisted', 'cancelled')", name=op.f('ck_bookings_status_known')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_bookings_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_bookings_exchange_id_exchanges')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookings'))
    )
    op.create_index(op.f('ix_bookings_application_id'), 'bookings', ['application_id'], unique=False)
    op.create_index('ix_bookings_exchange_status', 'bookings', ['exchange_id', 'status', 'waitlist_position'], unique=False)
    op.create_index('uq_bookings_active_person', 'bookings', ['exchange_id', 'email_folded'], unique=True, postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))
    op.create_table('exchange_hosts',
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['exchange_id'], ['exchanges.id'], name=op.f('fk_exchange_hosts_exchange_id_exchanges'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('exchange_id', 'email', name=op.f('pk_exchange_hosts'))
    )
    op.create_index(op.f('ix_exchange_hosts_email'), 'exchange_hosts', ['email'], unique=False)
    op.create_table('attendance',
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', MOMENT, nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.CheckConstraint("stage IN ('orientation', 'exchange', 'reflection')", name=op.f('ck_attendance_stage_known')),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_attendance_booking_id_bookings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('booking_id', 'stage', name=op.f('pk_attendance'))
    )


def downgrade() -> None:
    op.drop_table('attendance')
    op.drop_index('ix_exchange_hosts_email', table_name='exchange_hosts')
    op.drop_table('exchange_hosts')
    op.drop_index('uq_bookings_active_person', table_name='bookings', postgresql_where=sa.text("status <> 'cancelled'"), sqlite_where=sa.text("status <> 'cancelled'"))
    op.drop_index('ix_bookings_exchange_status', table_name='bookings')
    op.drop_index('ix_bookings_application_id', table_name='bookings')
    op.drop_table('bookings')
    op.drop_index('ix_exchanges_town', table_name='exchanges')
    op.drop_index('ix_exchanges_theme_code', table_name='exchanges')
    op.drop_index('ix_exchanges_starts_at', table_name='exchanges')
    op.drop_table('exchanges')
    op.drop_index('ix_subthemes_theme_code', table_name='subthemes')
    op.drop_table('subthemes')
    op.drop_table('staff_roles')
    op.drop_table('themes')
    op.drop_table('staff_accounts')
    op.drop_index('ix_idempotency_keys_created_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
    op.drop_index('ix_applications_email_folded', table_name='applications')
    op.drop_table('applications')
