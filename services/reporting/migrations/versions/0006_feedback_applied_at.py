"""feedback_entry.applied_at: when the consumer applied a feedback's scores

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 02:30:00

Null for rows written before (and until a submission is seen); a rebuild fills it with the
time of the replay. No report reads it: it is the projection's side of the event lag.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feedback_entry", schema=None) as batch_op:
        batch_op.drop_column("applied_at")
