"""SQL of submissions: idempotency look-ups, rate counters, abuse context."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import Feedback, RateCounter
from kinerja_feedback.upsert import insert_for


async def by_idempotency_key(session: AsyncSession, key: str) -> Feedback | None:
    """The submission stored under an idempotency key."""
    rows = await session.scalars(select(Feedback).where(col(Feedback.idempotency_key) == key))
    return rows.first()


async def by_tracking_code(session: AsyncSession, code: str) -> Feedback | None:
    """The submission with a (canonical) tracking code."""
    rows = await session.scalars(select(Feedback).where(col(Feedback.tracking_code) == code))
    return rows.first()


async def bump_counters(
    session: AsyncSession, keys: list[tuple[str, str, datetime]]
) -> dict[str, int]:
    """Add one to each (scope, subject, window start) counter in one statement; new counts."""
    if not keys:
        return {}
    table = RateCounter.__table__  # type: ignore[attr-defined]
    stmt = insert_for(session, RateCounter).values(
        [{"scope": s, "subject": k, "window_start": w, "count": 1} for s, k, w in keys]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["scope", "subject", "window_start"],
        set_={"count": table.c.count + 1},
    ).returning(table.c.scope, table.c.count)
    rows = await session.execute(stmt)
    return {str(row[0]): int(row[1]) for row in rows}


async def abuse_context(
    session: AsyncSession, *, address_hash: str | None, since: datetime, duplicate_key: str | None
) -> tuple[list[datetime], bool]:
    """Recent submission times from the address, and whether the duplicate key is taken."""
    conditions = []
    if address_hash is not None:
        conditions.append(
            and_(col(Feedback.address_hash) == address_hash, col(Feedback.submitted_at) > since)
        )
    if duplicate_key is not None:
        conditions.append(
            and_(col(Feedback.duplicate_key) == duplicate_key, col(Feedback.withdrawn_at).is_(None))
        )
    if not conditions:
        return [], False
    rows = await session.execute(
        select(
            col(Feedback.submitted_at),
            col(Feedback.address_hash),
            col(Feedback.duplicate_key),
            col(Feedback.withdrawn_at),
        ).where(or_(*conditions))
    )
    times: list[datetime] = []
    duplicate = False
    for row in rows:
        if (
            address_hash is not None
            and row.address_hash == address_hash
            and row.submitted_at > since
        ):
            times.append(row.submitted_at)
        if row.duplicate_key == duplicate_key and row.withdrawn_at is None:
            duplicate = True
    return times, duplicate
