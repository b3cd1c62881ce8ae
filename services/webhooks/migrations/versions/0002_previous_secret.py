"""subscription: the secret just replaced, and until when it still signs

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 07:30:00

While a secret is rotated, deliveries are signed with the new secret and the one it replaced
(two signatures in `webhook-signature`), so that a receiver keeps verifying until it has
switched. Null when no such overlap is running.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from kinerja_shared.columns import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_secret_encrypted", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("previous_secret_until", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_column("previous_secret_until")
        batch_op.drop_column("previous_secret_encrypted")
