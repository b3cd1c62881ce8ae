"""subscriptions and deliveries

Revision ID: 0001
Revises:
Create Date: 2026-12-02 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kinerja_shared.columns import UtcDateTime
from kinerja_shared.migrations import create_messaging_tables, drop_messaging_tables


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_messaging_tables()
    op.create_table(
        'subscription',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('owner', sa.String(length=200), nullable=False),
        sa.Column('target_url', sa.String(length=2000), nullable=False),
        sa.Column('event_types', sa.JSON(), nullable=False),
        sa.Column('unit_ids', sa.JSON(), nullable=True),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('secret_encrypted', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('paused_reason', sa.String(length=1000), nullable=True),
        sa.Column('paused_at', UtcDateTime(), nullable=True),
        sa.Column('failing_since', UtcDateTime(), nullable=True),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('updated_at', UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_subscription_owner', 'subscription', ['owner'])
    op.create_table(
        'delivery',
        sa.Column(
            'sequence',
            sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('subscription_id', sa.String(length=36), nullable=False),
        sa.Column('event_id', sa.String(length=200), nullable=False),
        sa.Column('event_type', sa.String(length=200), nullable=False),
        sa.Column('event_key', sa.String(length=300), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('response_code', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('next_attempt_at', UtcDateTime(), nullable=True),
        sa.Column('first_attempt_at', UtcDateTime(), nullable=True),
        sa.Column('last_attempt_at', UtcDateTime(), nullable=True),
        sa.Column('delivered_at', UtcDateTime(), nullable=True),
        sa.Column('dead_at', UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('sequence'),
        sa.UniqueConstraint('id'),
    )
    op.create_index('ix_delivery_due', 'delivery', ['status', 'next_attempt_at'])
    op.create_index(
        'ix_delivery_key_order', 'delivery', ['subscription_id', 'event_key', 'status', 'sequence']
    )
    op.create_index(
        'ix_delivery_subscription_created', 'delivery', ['subscription_id', 'created_at']
    )


def downgrade() -> None:
    op.drop_table('delivery')
    op.drop_table('subscription')
    drop_messaging_tables()
