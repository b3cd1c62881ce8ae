"""curve_exception: reasoned exceptions to the kurva; objection: statement times

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OBJECTION_TIMES = ("appraiser_statement_at", "statement_due_at", "appraiser_no_answer_at")


def upgrade() -> None:
    with op.batch_alter_table("objection", schema=None) as batch_op:
        for name in _OBJECTION_TIMES:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "curve_exception",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("unit_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("period_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("objection_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column(
            "organisation_predikat", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False
        ),
        sa.Column("employees", sa.Integer(), nullable=False),
        sa.Column("curve_possible", sa.Boolean(), nullable=False),
        sa.Column("violations", sa.JSON(), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"]),
        sa.ForeignKeyConstraint(["objection_id"], ["objection.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("curve_exception", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_curve_exception_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_curve_exception_period_id"), ["period_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("curve_exception", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_curve_exception_period_id"))
        batch_op.drop_index(batch_op.f("ix_curve_exception_unit_id"))
    op.drop_table("curve_exception")
    with op.batch_alter_table("objection", schema=None) as batch_op:
        for name in reversed(_OBJECTION_TIMES):
            batch_op.drop_column(name)
