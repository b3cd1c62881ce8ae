"""Published IKM results with the follow-up plans next to them (docs/domain.md, "Publication
of results and follow-up plans (rencana tindak lanjut)"): the plans' read model, fed by the
feedback service's events, and the public reads, which reuse the IKM reports as they are."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.access import PUBLIC
from kinerja_reporting.directory.repository import staff_codes
from kinerja_reporting.directory.tree_cache import load_tree
from kinerja_reporting.domain.follow_up import plan_progress
from kinerja_reporting.ikm import service as ikm
from kinerja_reporting.publication import repository
from kinerja_reporting.publication.schemas import (
    PublishedAction,
    PublishedPlan,
    PublishedProgress,
    PublishedServicePointResult,
    PublishedUnitResult,
)
from kinerja_shared.law.skm import Unsur
from kinerja_shared.problems import ResourceNotFound

#: Where a plan is published, through the gateway.
PLAN_PATH = "/api/v1/reporting/public/follow-up-plans/{plan_id}"


def plan_url(plan_id: str) -> str:
    """The public address of a plan."""
    return PLAN_PATH.format(plan_id=plan_id)


def _published(
    plan: Any, actions: list[Any], staff: dict[str, str], unit_name: str | None
) -> PublishedPlan:
    return PublishedPlan(
        id=plan.plan_id,
        url=plan_url(plan.plan_id),
        unit_id=plan.unit_id,
        unit_name=unit_name,
        period_key=plan.period_key,
        recorded_at=plan.recorded_at,
        updated_at=plan.updated_at,
        progress_percent=plan_progress([a.progress_percent for a in actions]),
        actions=[
            PublishedAction(
                element=a.element,
                element_label=Unsur(a.element).label,
                description=a.description,
                owner_staff_code=staff.get(a.owner_employee_id),
                due_date=a.due_date,
                status=a.status,
                progress_percent=a.progress_percent,
                progress=[PublishedProgress.model_validate(s) for s in a.history or []],
            )
            for a in actions
        ],
    )


async def _published_plans(
    session: AsyncSession, plans: dict[str, Any], names: dict[str, str]
) -> dict[str, PublishedPlan]:
    """Plans by unit id, published."""
    actions = await repository.actions_of(session, [p.plan_id for p in plans.values()])
    staff = await staff_codes(
        session, [a.owner_employee_id for found in actions.values() for a in found]
    )
    return {
        unit_id: _published(plan, actions[plan.plan_id], staff, names.get(unit_id))
        for unit_id, plan in plans.items()
    }


async def _plan_of_unit(
    session: AsyncSession, unit_id: str, period_key: str, name: str | None
) -> PublishedPlan | None:
    plans = await repository.plans_of_period(session, period_key, [unit_id])
    published = await _published_plans(session, plans, {unit_id: name} if name else {})
    return published.get(unit_id)


async def unit_result(
    session: AsyncSession, *, unit_id: str, period_key: str, subunits: bool
) -> PublishedUnitResult:
    """A unit's IKM for a period (the IKM report itself) and its follow-up plan."""
    report = await ikm.unit_report(
        session, identity=PUBLIC, unit_id=unit_id, period_key=period_key, subunits=subunits
    )
    plan = await _plan_of_unit(session, unit_id, report.period_key, report.name)
    return PublishedUnitResult(ikm=report, follow_up_plan=plan)


async def unit_results(
    session: AsyncSession, *, period_key: str, subunits: bool
) -> list[PublishedUnitResult]:
    """Every unit's IKM for a period with its follow-up plan, by unit id."""
    found = await ikm.unit_reports(
        session, identity=PUBLIC, period_key=period_key, subunits=subunits
    )
    key = ikm.period_of(period_key).key
    names = {r.scope_id: r.name for r in found if r.name is not None}
    plans = await _published_plans(session, await repository.plans_of_period(session, key), names)
    return [PublishedUnitResult(ikm=r, follow_up_plan=plans.get(r.scope_id)) for r in found]


async def service_point_result(
    session: AsyncSession, *, service_point_id: str, period_key: str
) -> PublishedServicePointResult:
    """A service point's IKM for a period and its unit's follow-up plan."""
    report = await ikm.service_point_report(
        session, identity=PUBLIC, service_point_id=service_point_id, period_key=period_key
    )
    unit_id = report.units[0]
    tree = await load_tree(session)
    plan = await _plan_of_unit(session, unit_id, report.period_key, tree.names.get(unit_id))
    return PublishedServicePointResult(ikm=report, follow_up_plan=plan)


async def service_point_results(
    session: AsyncSession, *, period_key: str, unit_id: str | None
) -> list[PublishedServicePointResult]:
    """Every service point's IKM for a period (optionally of one unit's subtree), each with
    its unit's follow-up plan."""
    found = await ikm.service_point_reports(
        session, identity=PUBLIC, period_key=period_key, unit_id=unit_id
    )
    key = ikm.period_of(period_key).key
    tree = await load_tree(session)
    plans = await _published_plans(
        session, await repository.plans_of_period(session, key), tree.names
    )
    return [PublishedServicePointResult(ikm=r, follow_up_plan=plans.get(r.units[0])) for r in found]


async def plan(session: AsyncSession, *, plan_id: str) -> PublishedPlan:
    """A published follow-up plan by id."""
    found = await repository.plan(session, plan_id)
    if found is None:
        raise ResourceNotFound(f"no follow-up plan {plan_id} is known", field="plan_id")
    tree = await load_tree(session)
    published = await _published_plans(session, {found.unit_id: found}, tree.names)
    return published[found.unit_id]
