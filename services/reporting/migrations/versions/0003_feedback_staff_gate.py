"""feedback_entry: the staff gate (attribution to the named employee counted separately)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 16:00:00

``staff_counted`` (false while the anti-stuffing rules hold a feedback's attribution to the
named employee), ``reviewed`` (a moderator decided on its scores) and ``staff_included``
(counted in the employee's totals). Rows stored before this migration came from events
without the attribution flag, which follows ``counted``: staff_counted true, not reviewed,
staff_included = included (their staff totals stay as they are).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_entry", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("staff_counted", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("reviewed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("staff_included", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE feedback_entry SET staff_included = included")
    # The defaults only filled the existing rows; the handlers always write every column.
    with op.batch_alter_table("feedback_entry", schema=None) as batch_op:
        for column in ("staff_counted", "reviewed", "staff_included"):
            batch_op.alter_column(column, existing_type=sa.Boolean(), server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("feedback_entry", schema=None) as batch_op:
        batch_op.drop_column("staff_included")
        batch_op.drop_column("reviewed")
        batch_op.drop_column("staff_counted")
