"""complaints: holiday calendar, verification and first response as own duties, history of
reclassifications and reopenings

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 20:00:00

The holiday table is filled with the lists shipped in kinerja_feedback/holidays/data/ (later
years: `kinerja-feedback holidays load FILE`). Complaints already verified or answered get
their verified_at / first_response_at from their history (docs/domain.md, complaints).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from kinerja_feedback.holidays.files import shipped_lists
from kinerja_shared.columns import UtcDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    holiday = op.create_table(
        "holiday",
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("loaded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("region", "day"),
    )
    op.create_index(op.f("ix_holiday_year"), "holiday", ["year"], unique=False)
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("first_response_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("resolution_clock_from", sa.DateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("complaint_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_category", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("category", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("previous_resolution_due", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("resolution_due", sa.Date(), nullable=True))

    for kind, condition in (
        ("verified_at", "e.kind = 'status' AND e.previous_status = 'received'"),
        ("first_response_at", "e.kind = 'response'"),
    ):
        op.execute(
            f"UPDATE feedback SET {kind} = (SELECT MIN(e.at) FROM complaint_entry e "  # noqa: S608
            f"WHERE e.feedback_id = feedback.id AND {condition}) WHERE is_complaint"
        )

    now = datetime.now(UTC)
    op.bulk_insert(
        holiday,
        [
            {
                "region": listed.region,
                "day": h.day,
                "year": listed.year,
                "kind": h.kind.value,
                "name": h.name,
                "confirmed": h.confirmed,
                "source": listed.source,
                "loaded_at": now,
            }
            for listed in shipped_lists()
            for h in listed.holidays
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("complaint_entry", schema=None) as batch_op:
        batch_op.drop_column("resolution_due")
        batch_op.drop_column("previous_resolution_due")
        batch_op.drop_column("category")
        batch_op.drop_column("previous_category")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_column("resolution_clock_from")
        batch_op.drop_column("first_response_at")
        batch_op.drop_column("verified_at")
    op.drop_index(op.f("ix_holiday_year"), table_name="holiday")
    op.drop_table("holiday")
