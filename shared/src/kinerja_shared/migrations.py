"""Alembic helpers: every service's first migration creates the messaging tables with these."""

from __future__ import annotations

from alembic import op
from sqlalchemy import MetaData

from kinerja_shared.messaging import LANES, messaging_tables


def create_messaging_tables() -> None:
    """Create outbox, outbox_lane (with its lanes) and inbox in the current migration."""
    tables = messaging_tables(MetaData())
    bind = op.get_bind()
    tables.outbox.metadata.create_all(bind)
    op.bulk_insert(tables.outbox_lane, [{"lane": lane} for lane in range(LANES)])


def drop_messaging_tables() -> None:
    """Drop the messaging tables (downgrade of the first migration)."""
    for name in ("inbox", "outbox_lane", "outbox"):
        op.drop_table(name)
