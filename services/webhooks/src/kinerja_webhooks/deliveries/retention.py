"""Deliveries past their retention: a delivered or dead delivery is removed
`delivery_retention_days` after its last attempt (docs/domain.md, Webhooks). Pending ones
are never removed, however old (a paused subscription sends them all once resumed)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_shared.db import write_lock
from kinerja_webhooks.deliveries import repository

#: The name of the removal among the runtime's periodic tasks.
RETENTION = "webhook-delivery-retention"
#: Deliveries removed per transaction: short transactions, so that the worker and the API
#: are never held up for long.
BATCH = 1000


async def remove_expired(
    sessions: async_sessionmaker[AsyncSession], *, retention_days: int, now: datetime
) -> int:
    """Remove every settled delivery whose retention has run out at `now`; how many."""
    cutoff = now - timedelta(days=retention_days)
    removed = 0
    while True:
        async with write_lock(sessions), sessions() as session, session.begin():
            count = await repository.remove_settled_before(session, cutoff, limit=BATCH)
        removed += count
        if count < BATCH:
            return removed
