"""Learning's tables: the catalogue and attendance projections, summaries with their versions and
history, reflections, feedback, built packs and pack requests, programme settings.

Revision ID: learning_0002
Revises: learning_0001
"""

import sqlalchemy as sa
from alembic import op


revision = 'learning_0002'
down_revision = 'learning_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('applicant',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('manage_token_hash', sa.String(length=64), nullable=True),
    sa.Column('participant_type', sa.String(length=20), nullable=False),
    sa.Column('stakeholder_group', sa.String(length=100), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applicant')),
    sa.UniqueConstraint('manage_token_hash', name=op.f('uq_applicant_manage_token_hash'))
    )
    op.create_table('attendance',
    sa.Column('exchange_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('application_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('event_time', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('exchange_id', 'application_id', 'stage', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_application_id'), ['application_id'], unique=False)

    op.create_table('booking',
    sa.Column('exchange_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('application_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('event_time', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('exchange_id', 'application_id', name=op.f('pk_booking'))
    )
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_booking_application_id'), ['application_id'], unique=False)

    op.create_table('exchange',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('theme', sa.String(length=20), nullable=False),
    sa.Column('subtheme', sa.String(length=20), nullable=True),
    sa.Column('host_name', sa.String(length=300), nullable=False),
    sa.Column('host_accounts', sa.JSON(), nullable=False),
    sa.Column('site', sa.String(length=300), nullable=False),
    sa.Column('town', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('learning_outcomes', sa.JSON(), nullable=False),
    sa.Column('event_time', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange'))
    )
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exchange_theme'), ['theme'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('about', sa.String(length=40), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=True),
    sa.Column('would_recommend', sa.Boolean(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('application_id', 'about', name=op.f('uq_feedback_application_id_about'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_about'), ['about'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_exchange_id'), ['exchange_id'], unique=False)

    op.create_table('pack',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('input_hash', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pack')),
    sa.UniqueConstraint('scope', 'language', 'input_hash', name=op.f('uq_pack_scope_language_input_hash'))
    )
    with op.batch_alter_table('pack', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_built_at'), ['built_at'], unique=False)

    op.create_table('pack_request',
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'language', name=op.f('pk_pack_request'))
    )
    op.create_table('programme_setting',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('impact_target', sa.Integer(), nullable=True),
    sa.Column('conference_attendees', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_setting'))
    )
    op.create_table('reflection',
    sa.Column('exchange_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('application_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('credit_as', sa.String(length=200), nullable=False),
    sa.Column('folded_in', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('exchange_id', 'application_id', name=op.f('pk_reflection'))
    )
    op.create_table('summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('exchange_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('latest_version', sa.Integer(), nullable=False),
    sa.Column('approved_version', sa.Integer(), nullable=True),
    sa.Column('return_comment', sa.Text(), nullable=True),
    sa.Column('publish', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary')),
    sa.UniqueConstraint('exchange_id', name=op.f('uq_summary_exchange_id'))
    )
    op.create_table('theme',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('aim', sa.Text(), nullable=False),
    sa.Column('notify_emails', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_theme'))
    )
    op.create_table('summary_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['summary_id'], ['summary.id'], name=op.f('fk_summary_history_summary_id_summary')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_history'))
    )
    with op.batch_alter_table('summary_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_summary_history_summary_id'), ['summary_id'], unique=False)

    op.create_table('summary_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('summary_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('key_insights', sa.JSON(), nullable=False),
    sa.Column('innovations', sa.Text(), nullable=False),
    sa.Column('challenges', sa.Text(), nullable=False),
    sa.Column('transferable_ideas', sa.Text(), nullable=False),
    sa.Column('outcomes_met', sa.JSON(), nullable=False),
    sa.Column('contributors', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['summary_id'], ['summary.id'], name=op.f('fk_summary_version_summary_id_summary')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_summary_version')),
    sa.UniqueConstraint('summary_id', 'number', name=op.f('uq_summary_version_summary_id_number'))
    )
    with op.batch_alter_table('summary_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_summary_version_summary_id'), ['summary_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('summary_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_summary_version_summary_id'))

    op.drop_table('summary_version')
    with op.batch_alter_table('summary_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_summary_history_summary_id'))

    op.drop_table('summary_history')
    op.drop_table('theme')
    op.drop_table('summary')
    op.drop_table('reflection')
    op.drop_table('programme_setting')
    op.drop_table('pack_request')
    with op.batch_alter_table('pack', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_built_at'))

    op.drop_table('pack')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_exchange_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_about'))

    op.drop_table('feedback')
    with op.batch_alter_table('exchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_theme'))

    op.drop_table('exchange')
    with op.batch_alter_table('booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_booking_application_id'))

    op.drop_table('booking')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_application_id'))

    op.drop_table('attendance')
    op.drop_table('applicant')
