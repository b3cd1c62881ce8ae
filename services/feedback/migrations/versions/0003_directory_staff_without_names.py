"""directory_staff: no names (employee.upserted v2 carries none; staff appear by code)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 18:00:00

The names the directory kept from employee.upserted v1 are dropped with the column: the
service lists staff by their public staff code only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("directory_staff", schema=None) as batch_op:
        batch_op.drop_column("display_name")


def downgrade() -> None:
    # The names are gone; the column comes back empty (the next v1 replay would not fill it).
    with op.batch_alter_table("directory_staff", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("display_name", sa.String(length=200), nullable=False, server_default="")
        )
