"""SQL reading the improvement flags."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.models import UNIT_FLAG


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
