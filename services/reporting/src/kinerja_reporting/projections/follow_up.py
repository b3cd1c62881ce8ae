"""Follow-up plans (rencana tindak lanjut) as the feedback service records them, with the
progress of their actions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.projections import repository
from kinerja_shared.events.types.feedback import FollowUpActionProgressed, FollowUpPlanRecorded


def _step(status: str, percent: int, note: str | None, at: Any) -> dict[str, Any]:
    return {"status": status, "progress_percent": percent, "note": note, "at": at.isoformat()}


async def record_plan(session: AsyncSession, *, payload: FollowUpPlanRecorded) -> None:
    """Keep a plan and its actions as the feedback service recorded them (an action already
    known keeps its history)."""
    at = payload.recorded_at
    await repository.save_plan(
        session,
        {
            "plan_id": payload.plan_id,
            "unit_id": payload.unit_id,
            "period_key": payload.period_key,
            "recorded_at": at,
            "updated_at": at,
        },
    )
    for position, action in enumerate(payload.actions):
        known = await repository.action(session, action.action_id)
        history = (
            list(known.history or [])
            if known is not None
            else [_step(action.status, action.progress_percent, None, at)]
        )
        await repository.save_action(
            session,
            {
                "action_id": action.action_id,
                "plan_id": payload.plan_id,
                "position": position,
                "element": action.element,
                "description": action.description,
                "owner_employee_id": action.owner_employee_id,
                "due_date": action.due_date,
                "status": action.status,
                "progress_percent": action.progress_percent,
                "history": history,
                "updated_at": at,
            },
        )


async def record_progress(session: AsyncSession, *, payload: FollowUpActionProgressed) -> None:
    """Add a progress step to an action (its plan's event came first: same key, same
    partition)."""
    known = await repository.action(session, payload.action_id)
    if known is None:
        return
    at = payload.progressed_at
    step = _step(payload.status, payload.progress_percent, payload.note, at)
    await repository.update_action(
        session,
        payload.action_id,
        {
            "status": payload.status,
            "progress_percent": payload.progress_percent,
            "history": [*(known.history or []), step],
            "updated_at": at,
        },
    )
    await repository.touch_plan(session, payload.plan_id, {"updated_at": at})
