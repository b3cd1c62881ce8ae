"""Use cases of follow-up plans (rencana tindak lanjut): a unit head records, for a unit and
period, actions per SKM element with an owner and a due date, and their progress; every step
is kept and published (docs/domain.md, "Publication of results and follow-up plans (rencana
tindak lanjut)")."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback import access
from kinerja_feedback.directory import service as directory
from kinerja_feedback.domain.follow_up import FollowUpStatus, InvalidProgress, progress_percent
from kinerja_feedback.domain.redaction import redact
from kinerja_feedback.follow_up import repository
from kinerja_feedback.follow_up.schemas import (
    FollowUpActionCreate,
    FollowUpActionPublic,
    FollowUpActionsAdd,
    FollowUpPlanCreate,
    FollowUpPlanPublic,
    FollowUpProgressCreate,
    FollowUpProgressPublic,
)
from kinerja_feedback.models import FollowUpAction, FollowUpPlan, FollowUpProgress
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import (
    FollowUpActionProgressed,
    FollowUpActionState,
    FollowUpPlanRecorded,
)
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


def _published_text(text: str) -> str:
    """Plans are published: phone numbers, e-mail addresses and NIKs in them are masked."""
    return redact(text).text


async def _check_owners(
    session: AsyncSession, unit_id: str, actions: list[FollowUpActionCreate]
) -> None:
    staff = {s.employee_id for s in await directory.staff_of_unit(session, unit_id)}
    for index, action in enumerate(actions):
        if action.owner_employee_id not in staff:
            raise InvalidInput(
                f"employee {action.owner_employee_id!r} is not active staff of unit {unit_id}",
                field=f"body.actions.{index}.owner_employee_id",
            )


async def _add_actions(
    session: AsyncSession,
    plan: FollowUpPlan,
    actions: list[FollowUpActionCreate],
    *,
    actor: str,
    now: datetime,
) -> None:
    first = await repository.action_count(session, plan.id)
    for offset, data in enumerate(actions):
        action = FollowUpAction(
            id=str(uuid.uuid4()),
            plan_id=plan.id,
            position=first + offset,
            element=data.element,
            description=_published_text(data.description),
            owner_employee_id=data.owner_employee_id,
            due_date=data.due_date,
            status=FollowUpStatus.PLANNED.value,
            progress_percent=0,
            created_at=now,
            updated_at=now,
        )
        session.add(action)
        await session.flush()
        session.add(
            FollowUpProgress(
                action_id=action.id,
                status=action.status,
                progress_percent=0,
                note=None,
                actor=actor,
                at=now,
            )
        )
    plan.updated_at = now
    await session.flush()


async def _recorded_event(session: AsyncSession, plan: FollowUpPlan) -> FollowUpPlanRecorded:
    return FollowUpPlanRecorded(
        plan_id=plan.id,
        unit_id=plan.unit_id,
        period_key=plan.period_key,
        actions=[
            FollowUpActionState(
                action_id=a.id,
                element=a.element,
                description=a.description,
                owner_employee_id=a.owner_employee_id,
                due_date=a.due_date,
                status=a.status,
                progress_percent=a.progress_percent,
            )
            for a in await repository.actions_of(session, plan.id)
        ],
        recorded_at=plan.updated_at,
    )


async def record_plan(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    data: FollowUpPlanCreate,
    now: datetime,
) -> FollowUpPlanPublic:
    """Record a unit's plan for a period (one per unit and period: 409 when it exists);
    publishes follow_up_plan.recorded."""
    access.require_unit_head(identity, data.unit_id)
    if await directory.get_unit(session, data.unit_id) is None:
        raise InvalidInput(f"unknown unit {data.unit_id!r}", field="body.unit_id")
    if await repository.plan_of(session, data.unit_id, data.period_key) is not None:
        raise Conflict(
            f"unit {data.unit_id} has a plan for {data.period_key}: add actions to it",
            field="body.period_key",
        )
    await _check_owners(session, data.unit_id, data.actions)
    plan = FollowUpPlan(
        id=str(uuid.uuid4()),
        unit_id=data.unit_id,
        period_key=data.period_key,
        recorded_by=identity.subject,
        created_at=now,
        updated_at=now,
    )
    session.add(plan)
    await session.flush()
    await _add_actions(session, plan, data.actions, actor=identity.subject, now=now)
    await outbox.add(session, await _recorded_event(session, plan))
    return await to_public(session, plan)


async def _plan(session: AsyncSession, plan_id: str) -> FollowUpPlan:
    plan = await repository.plan(session, plan_id)
    if plan is None:
        raise ResourceNotFound("no such follow-up plan")
    return plan


async def add_actions(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    plan_id: str,
    data: FollowUpActionsAdd,
    now: datetime,
) -> FollowUpPlanPublic:
    """Add actions to a plan; publishes follow_up_plan.recorded with all its actions."""
    plan = await _plan(session, plan_id)
    access.require_unit_head(identity, plan.unit_id)
    await _check_owners(session, plan.unit_id, data.actions)
    await _add_actions(session, plan, data.actions, actor=identity.subject, now=now)
    await outbox.add(session, await _recorded_event(session, plan))
    return await to_public(session, plan)


async def record_progress(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    plan_id: str,
    action_id: str,
    data: FollowUpProgressCreate,
    now: datetime,
) -> FollowUpPlanPublic:
    """Record where an action stands (a new step of its history); publishes
    follow_up_action.progressed."""
    plan = await _plan(session, plan_id)
    access.require_unit_head(identity, plan.unit_id)
    action = await repository.action(session, action_id)
    if action is None or action.plan_id != plan.id:
        raise ResourceNotFound("the plan has no such action")
    status = FollowUpStatus(data.status)
    try:
        percent = progress_percent(status, data.progress_percent, current=action.progress_percent)
    except InvalidProgress as exc:
        raise InvalidInput(str(exc), field="body.progress_percent") from exc
    note = None if data.note is None else _published_text(data.note)
    action.status = status.value
    action.progress_percent = percent
    action.updated_at = now
    plan.updated_at = now
    session.add(
        FollowUpProgress(
            action_id=action.id,
            status=status.value,
            progress_percent=percent,
            note=note,
            actor=identity.subject,
            at=now,
        )
    )
    await session.flush()
    await outbox.add(
        session,
        FollowUpActionProgressed(
            plan_id=plan.id,
            action_id=action.id,
            unit_id=plan.unit_id,
            period_key=plan.period_key,
            status=status.value,
            progress_percent=percent,
            note=note,
            progressed_at=now,
        ),
    )
    return await to_public(session, plan)


async def find_plan(
    session: AsyncSession, *, identity: Identity, plan_id: str
) -> FollowUpPlanPublic:
    """A plan its unit's staff (or bkpsdm_admin) may read."""
    plan = await _plan(session, plan_id)
    access.require_plan_reader(identity, plan.unit_id)
    return await to_public(session, plan)


async def list_plans(
    session: AsyncSession, *, identity: Identity, unit_id: str | None, period_key: str | None
) -> list[FollowUpPlanPublic]:
    """Plans of the caller's unit (bkpsdm_admin: any unit or all)."""
    access.require_staff(identity)
    unit = access.visible_unit(identity, unit_id)
    found = await repository.plans(session, unit_id=unit, period_key=period_key)
    return [await to_public(session, plan) for plan in found]


async def to_public(session: AsyncSession, plan: FollowUpPlan) -> FollowUpPlanPublic:
    """The staff view of a plan: every action with its whole history."""
    actions = await repository.actions_of(session, plan.id)
    history = await repository.history_of(session, [a.id for a in actions])
    return FollowUpPlanPublic(
        id=plan.id,
        unit_id=plan.unit_id,
        period_key=plan.period_key,
        recorded_by=plan.recorded_by,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
        actions=[
            FollowUpActionPublic(
                id=a.id,
                element=a.element,
                description=a.description,
                owner_employee_id=a.owner_employee_id,
                due_date=a.due_date,
                status=a.status,
                progress_percent=a.progress_percent,
                history=[
                    FollowUpProgressPublic(
                        status=h.status,
                        progress_percent=h.progress_percent,
                        note=h.note,
                        actor=h.actor,
                        at=h.at,
                    )
                    for h in history[a.id]
                ],
            )
            for a in actions
        ],
    )
