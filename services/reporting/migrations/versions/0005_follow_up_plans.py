"""follow_up_plan, follow_up_action: follow-up plans published next to the IKM

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 20:00:00

Read models of the feedback service's follow_up_plan.recorded and follow_up_action.progressed
events (an action keeps its progress history as a JSON list); a rebuild empties and replays
them like every other read model.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follow_up_plan",
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.Column("period_key", sa.String(length=10), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("plan_id"),
    )
    with op.batch_alter_table("follow_up_plan", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_plan_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "follow_up_action",
        sa.Column("action_id", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_employee_id", sa.String(length=64), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("progress_percent", sa.Integer(), nullable=False),
        sa.Column("history", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("action_id"),
    )
    with op.batch_alter_table("follow_up_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_action_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    op.drop_table("follow_up_action")
    op.drop_table("follow_up_plan")
