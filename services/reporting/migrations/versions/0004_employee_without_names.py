"""employee: no names (employee.upserted v2 carries none; reports list staff codes)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 18:00:00

The names the read model kept from employee.upserted v1 are dropped with the column: reports
name employees by id and public staff code; readers resolve names through the appraisal API
under their own authorisation.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.drop_column("display_name")


def downgrade() -> None:
    # The names are gone; the column comes back empty.
    with op.batch_alter_table("employee", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("display_name", sa.String(length=300), nullable=False, server_default="")
        )
