"""Routes of follow-up plans (rencana tindak lanjut) of SKM results."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kinerja_feedback.dependencies import Now
from kinerja_feedback.follow_up import service
from kinerja_feedback.follow_up.schemas import (
    FollowUpActionsAdd,
    FollowUpPlanCreate,
    FollowUpPlanPublic,
    FollowUpProgressCreate,
    PeriodKey,
)
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/follow-up-plans", tags=["follow-up plans"])


@router.post(
    "",
    status_code=201,
    summary="Record a unit's follow-up plan for a period",
    responses=problem_responses(403, 409, 422),
)
async def record_plan(
    data: Annotated[FollowUpPlanCreate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> FollowUpPlanPublic:
    """The unit head (or bkpsdm_admin); publishes follow_up_plan.recorded."""
    return await service.record_plan(session, runtime.outbox, identity=identity, data=data, now=now)


@router.get("", summary="Follow-up plans", responses=problem_responses(403))
async def list_plans(
    identity: CurrentIdentity,
    session: SessionDep,
    unit_id: Annotated[str | None, Query(max_length=64)] = None,
    period_key: Annotated[PeriodKey | None, Query(alias="period")] = None,
) -> list[FollowUpPlanPublic]:
    """Plans of the caller's unit (bkpsdm_admin: any unit or all), newest period first."""
    return await service.list_plans(
        session, identity=identity, unit_id=unit_id, period_key=period_key
    )


@router.get("/{plan_id}", summary="A follow-up plan", responses=problem_responses(403, 404))
async def get_plan(
    plan_id: str, identity: CurrentIdentity, session: SessionDep
) -> FollowUpPlanPublic:
    """Staff of the plan's unit (or bkpsdm_admin): the plan with each action's history."""
    return await service.find_plan(session, identity=identity, plan_id=plan_id)


@router.post(
    "/{plan_id}/actions",
    summary="Add actions to a follow-up plan",
    responses=problem_responses(403, 404, 422),
)
async def add_actions(
    plan_id: str,
    data: Annotated[FollowUpActionsAdd, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> FollowUpPlanPublic:
    """The unit head (or bkpsdm_admin); publishes follow_up_plan.recorded."""
    return await service.add_actions(
        session, runtime.outbox, identity=identity, plan_id=plan_id, data=data, now=now
    )


@router.post(
    "/{plan_id}/actions/{action_id}/progress",
    summary="Record the progress of an action",
    responses=problem_responses(403, 404, 422),
)
async def record_progress(
    plan_id: str,
    action_id: str,
    data: Annotated[FollowUpProgressCreate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> FollowUpPlanPublic:
    """The unit head (or bkpsdm_admin): a new step of the action's history; publishes
    follow_up_action.progressed."""
    return await service.record_progress(
        session,
        runtime.outbox,
        identity=identity,
        plan_id=plan_id,
        action_id=action_id,
        data=data,
        now=now,
    )
