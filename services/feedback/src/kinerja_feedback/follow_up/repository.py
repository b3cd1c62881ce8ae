"""SQL of follow-up plans."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import FollowUpAction, FollowUpPlan, FollowUpProgress


async def plan(session: AsyncSession, plan_id: str) -> FollowUpPlan | None:
    """A plan by id."""
    return await session.get(FollowUpPlan, plan_id)


async def action(session: AsyncSession, action_id: str) -> FollowUpAction | None:
    """An action of some plan by id."""
    return await session.get(FollowUpAction, action_id)


async def plan_of(session: AsyncSession, unit_id: str, period_key: str) -> FollowUpPlan | None:
    """The plan of a unit for a period, if recorded."""
    rows = await session.scalars(
        select(FollowUpPlan).where(
            col(FollowUpPlan.unit_id) == unit_id, col(FollowUpPlan.period_key) == period_key
        )
    )
    return rows.first()


async def plans(
    session: AsyncSession, *, unit_id: str | None, period_key: str | None
) -> list[FollowUpPlan]:
    """Plans of a unit (None: every unit) and period (None: every period), newest period first."""
    stmt = select(FollowUpPlan)
    if unit_id is not None:
        stmt = stmt.where(col(FollowUpPlan.unit_id) == unit_id)
    if period_key is not None:
        stmt = stmt.where(col(FollowUpPlan.period_key) == period_key)
    rows = await session.scalars(
        stmt.order_by(col(FollowUpPlan.period_key).desc(), col(FollowUpPlan.unit_id))
    )
    return list(rows)


async def actions_of(session: AsyncSession, plan_id: str) -> list[FollowUpAction]:
    """A plan's actions in the order they were recorded."""
    rows = await session.scalars(
        select(FollowUpAction)
        .where(col(FollowUpAction.plan_id) == plan_id)
        .order_by(col(FollowUpAction.position))
    )
    return list(rows)


async def action_count(session: AsyncSession, plan_id: str) -> int:
    """How many actions a plan has."""
    found = await session.scalar(
        select(func.count())
        .select_from(FollowUpAction)
        .where(col(FollowUpAction.plan_id) == plan_id)
    )
    return int(found or 0)


async def history_of(
    session: AsyncSession, action_ids: list[str]
) -> dict[str, list[FollowUpProgress]]:
    """The progress steps of some actions, oldest first, by action id."""
    found: dict[str, list[FollowUpProgress]] = {a: [] for a in action_ids}
    if not action_ids:
        return found
    rows = await session.scalars(
        select(FollowUpProgress)
        .where(col(FollowUpProgress.action_id).in_(action_ids))
        .order_by(col(FollowUpProgress.id))
    )
    for row in rows:
        found[row.action_id].append(row)
    return found
