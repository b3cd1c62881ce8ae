"""SQL of the improvement flags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.models import UNIT_FLAG
from kinerja_reporting.storage import upsert_many


async def flags_by_period(
    session: AsyncSession, unit_id: str, period_keys: Iterable[str]
) -> dict[str, Row[Any]]:
    """A unit's flag rows for several periods, by period key."""
    rows = (
        await session.execute(
            select(UNIT_FLAG).where(
                UNIT_FLAG.c.unit_id == unit_id, UNIT_FLAG.c.period_key.in_(list(period_keys))
            )
        )
    ).all()
    return {r.period_key: r for r in rows}


async def flags_of_units(
    session: AsyncSession, unit_ids: Iterable[str], period_keys: Iterable[str]
) -> dict[tuple[str, str], Row[Any]]:
    """Flag rows of several units and periods, by (unit id, period key)."""
    rows = (
        await session.execute(
            select(UNIT_FLAG).where(
                UNIT_FLAG.c.unit_id.in_(list(unit_ids)),
                UNIT_FLAG.c.period_key.in_(list(period_keys)),
            )
        )
    ).all()
    return {(r.unit_id, r.period_key): r for r in rows}


async def save_flags(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the current state of several flags (full rows, one statement)."""
    await upsert_many(session, UNIT_FLAG, rows)


async def flags(
    session: AsyncSession,
    *,
    period_key: str | None,
    unit_ids: Iterable[str] | None,
    active: bool | None,
    limit: int,
    offset: int,
) -> tuple[list[Row[Any]], int]:
    """Flags filtered by period, units and state, paginated."""
    condition = []
    if period_key is not None:
        condition.append(UNIT_FLAG.c.period_key == period_key)
    if unit_ids is not None:
        condition.append(UNIT_FLAG.c.unit_id.in_(list(unit_ids)))
    if active is not None:
        condition.append(UNIT_FLAG.c.active == active)
    total = await session.scalar(select(func.count()).select_from(UNIT_FLAG).where(*condition))
    rows = (
        await session.execute(
            select(UNIT_FLAG)
            .where(*condition)
            .order_by(UNIT_FLAG.c.period_key.desc(), UNIT_FLAG.c.unit_id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return list(rows), int(total or 0)
