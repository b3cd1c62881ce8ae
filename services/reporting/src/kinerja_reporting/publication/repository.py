"""SQL of the follow-up plans published next to the IKM."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.models import FOLLOW_UP_ACTION, FOLLOW_UP_PLAN


async def plan(session: AsyncSession, plan_id: str) -> Any:
    """One plan row, or None."""
    return (
        await session.execute(select(FOLLOW_UP_PLAN).where(FOLLOW_UP_PLAN.c.plan_id == plan_id))
    ).first()


async def plans_of_period(
    session: AsyncSession, period_key: str, unit_ids: Iterable[str] | None = None
) -> dict[str, Any]:
    """The plans of a period (of some units, or all), by unit id."""
    query = select(FOLLOW_UP_PLAN).where(FOLLOW_UP_PLAN.c.period_key == period_key)
    if unit_ids is not None:
        query = query.where(FOLLOW_UP_PLAN.c.unit_id.in_(list(unit_ids)))
    return {r.unit_id: r for r in (await session.execute(query)).all()}


async def plan_ids(
    session: AsyncSession, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    """The plan ids of some (unit id, period key) pairs that have a plan."""
    wanted = list(set(pairs))
    if not wanted:
        return {}
    rows = await session.execute(
        select(
            FOLLOW_UP_PLAN.c.unit_id, FOLLOW_UP_PLAN.c.period_key, FOLLOW_UP_PLAN.c.plan_id
        ).where(tuple_(FOLLOW_UP_PLAN.c.unit_id, FOLLOW_UP_PLAN.c.period_key).in_(wanted))
    )
    return {(r.unit_id, r.period_key): r.plan_id for r in rows}


async def actions_of(session: AsyncSession, plan_ids: Iterable[str]) -> dict[str, list[Any]]:
    """The actions of some plans in recorded order, by plan id."""
    ids = list(plan_ids)
    found: dict[str, list[Any]] = {p: [] for p in ids}
    if not ids:
        return found
    rows = await session.execute(
        select(FOLLOW_UP_ACTION)
        .where(FOLLOW_UP_ACTION.c.plan_id.in_(ids))
        .order_by(FOLLOW_UP_ACTION.c.plan_id, FOLLOW_UP_ACTION.c.position)
    )
    for row in rows:
        found[row.plan_id].append(row)
    return found
