"""Feedback tables and messaging tables

Revision ID: 0001
Revises:
Create Date: 2026-11-28 05:10:26.542348
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kinerja_shared.migrations import create_messaging_tables, drop_messaging_tables

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('directory_staff',
    sa.Column('employee_id', sa.String(length=64), nullable=False),
    sa.Column('staff_code', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('employee_id')
    )
    with op.batch_alter_table('directory_staff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_directory_staff_staff_code'), ['staff_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_directory_staff_unit_id'), ['unit_id'], unique=False)

    op.create_table('directory_unit',
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('unit_id')
    )
    op.create_table('feedback',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('tracking_code', sa.String(length=16), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('response_status', sa.Integer(), nullable=False),
    sa.Column('response_body', sa.JSON(), nullable=False),
    sa.Column('service_point_id', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('service_type', sa.String(length=100), nullable=True),
    sa.Column('staff_code', sa.String(length=64), nullable=True),
    sa.Column('employee_id', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('visit_date', sa.Date(), nullable=False),
    sa.Column('survey_version', sa.String(length=64), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('overall_rating', sa.Integer(), nullable=True),
    sa.Column('comment_redacted', sa.Text(), nullable=True),
    sa.Column('comment_encrypted', sa.Text(), nullable=True),
    sa.Column('contact_encrypted', sa.Text(), nullable=True),
    sa.Column('age_band', sa.String(length=16), nullable=True),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('education', sa.String(length=16), nullable=True),
    sa.Column('occupation', sa.String(length=32), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('device_hash', sa.String(length=64), nullable=True),
    sa.Column('address_hash', sa.String(length=64), nullable=True),
    sa.Column('duplicate_key', sa.String(length=64), nullable=True),
    sa.Column('abuse_flags', sa.JSON(), nullable=False),
    sa.Column('suspicion_reasons', sa.JSON(), nullable=False),
    sa.Column('moderation_status', sa.String(length=16), nullable=False),
    sa.Column('counted', sa.Boolean(), nullable=False),
    sa.Column('is_complaint', sa.Boolean(), nullable=False),
    sa.Column('complaint_category', sa.String(length=32), nullable=True),
    sa.Column('complaint_status', sa.String(length=16), nullable=True),
    sa.Column('first_response_due', sa.Date(), nullable=True),
    sa.Column('resolution_due', sa.Date(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('idempotency_key'),
    sa.UniqueConstraint('tracking_code')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_address_time', ['address_hash', 'submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_duplicate_key'), ['duplicate_key'], unique=False)
        batch_op.create_index('ix_feedback_moderation', ['moderation_status', 'unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_service_point_id'), ['service_point_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_submitted_at'), ['submitted_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_unit_id'), ['unit_id'], unique=False)

    op.create_table('rate_counter',
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('scope', 'subject', 'window_start')
    )
    op.create_table('service_point',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('service_types', sa.JSON(), nullable=False),
    sa.Column('staff_codes', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    with op.batch_alter_table('service_point', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_point_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_point_unit_id'), ['unit_id'], unique=False)

    op.create_table('service_users_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('period_key', sa.String(length=16), nullable=False),
    sa.Column('service_users', sa.Integer(), nullable=False),
    sa.Column('reported_by', sa.String(length=100), nullable=False),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_id', 'period_key')
    )
    op.create_table('complaint_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('previous_status', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('complaint_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_entry_feedback_id'), ['feedback_id'], unique=False)

    op.create_table('moderation_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('moderation_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_moderation_action_feedback_id'), ['feedback_id'], unique=False)

    create_messaging_tables()


def downgrade() -> None:
    with op.batch_alter_table('moderation_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_moderation_action_feedback_id'))

    op.drop_table('moderation_action')
    with op.batch_alter_table('complaint_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_entry_feedback_id'))

    op.drop_table('complaint_entry')
    op.drop_table('service_users_report')
    with op.batch_alter_table('service_point', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_point_unit_id'))
        batch_op.drop_index(batch_op.f('ix_service_point_name'))

    op.drop_table('service_point')
    op.drop_table('rate_counter')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_unit_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_submitted_at'))
        batch_op.drop_index(batch_op.f('ix_feedback_service_point_id'))
        batch_op.drop_index('ix_feedback_moderation')
        batch_op.drop_index(batch_op.f('ix_feedback_duplicate_key'))
        batch_op.drop_index('ix_feedback_address_time')

    op.drop_table('feedback')
    op.drop_table('directory_unit')
    with op.batch_alter_table('directory_staff', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_directory_staff_unit_id'))
        batch_op.drop_index(batch_op.f('ix_directory_staff_staff_code'))

    op.drop_table('directory_staff')
    drop_messaging_tables()
