"""directory version: a token that changes with the unit tree (per-process tree caches)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 08:00:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "directory_version",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("version", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    # Units stored before this migration get a token too, so they can be cached at once.
    op.bulk_insert(table, [{"name": "unit_tree", "version": uuid.uuid4().hex}])


def downgrade() -> None:
    op.drop_table("directory_version")
