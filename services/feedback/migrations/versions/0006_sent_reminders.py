"""sent_reminder: deadline reminders already published (one per kind, subject and deadline)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 23:00:00

The primary key is the reminder's identity: a second replica or a restarted process scanning
the same deadline conflicts on it and publishes nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sent_reminder",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject_id", sa.String(length=64), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "subject_id", "deadline"),
    )


def downgrade() -> None:
    op.drop_table("sent_reminder")
