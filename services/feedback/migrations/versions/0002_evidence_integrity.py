"""Evidence integrity: tracking codes kept as digests, staff attribution, complaint handlers,
contact digests for erasure, supervisors in the directory, erasure requests

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 16:30:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tracking_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("tracking_code_encrypted", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("network_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("phone_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("email_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("scores_held", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("low_score", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("staff_status", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("staff_hold_reasons", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(sa.Column("handler_employee_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("handler_subject", sa.String(length=100), nullable=True))
        batch_op.alter_column(
            "request_fingerprint", existing_type=sa.String(length=64), nullable=True
        )

    feedback = sa.table(
        "feedback",
        sa.column("id", sa.String()),
        sa.column("tracking_code", sa.String()),
        sa.column("tracking_digest", sa.String()),
    )
    connection = op.get_bind()
    # Codes issued so far are stored canonical; keep only their digest (tracking_digest()).
    for row in connection.execute(sa.select(feedback.c.id, feedback.c.tracking_code)).all():
        connection.execute(
            feedback.update()
            .where(feedback.c.id == row.id)
            .values(tracking_digest=hashlib.sha256(row.tracking_code.encode()).hexdigest())
        )
    # Held scores: suspicious and not decided yet. The moderation status is now the comment's
    # alone; the staff attribution of existing rows follows their counting as before.
    op.execute(
        "UPDATE feedback SET scores_held = (counted = false AND moderation_status = 'pending'"
        " AND withdrawn_at IS NULL)"
    )
    op.execute(
        "UPDATE feedback SET moderation_status = 'not_required'"
        " WHERE moderation_status = 'pending' AND comment_redacted IS NULL"
    )
    op.execute("UPDATE feedback SET staff_status = 'counted' WHERE employee_id IS NOT NULL")

    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.alter_column("tracking_digest", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_feedback_tracking_digest", ["tracking_digest"])
        batch_op.drop_column("tracking_code")
        batch_op.create_index("ix_feedback_employee_time", ["employee_id", "submitted_at"])
        batch_op.create_index(batch_op.f("ix_feedback_phone_hash"), ["phone_hash"])
        batch_op.create_index(batch_op.f("ix_feedback_email_hash"), ["email_hash"])

    with op.batch_alter_table("directory_staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("supervisor_id", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_directory_staff_supervisor_id"), ["supervisor_id"])

    op.create_table(
        "erasure_request",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("requested_by", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=200), nullable=False),
        sa.Column("feedback_ids", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    # The tracking codes themselves are gone (only digests were kept): no way back.
    raise NotImplementedError("0002 keeps only digests of tracking codes; it cannot be undone")
