"""Use cases of SKP plans: draft, edit, submit, approve or return, and new versions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.domain import SkpAction, SkpState, skp_transition
from kinerja_appraisal.models import Employee, Indicator, Rhk, Skp
from kinerja_appraisal.organisation.service import get_employee, readable_employee
from kinerja_appraisal.skp import repository
from kinerja_appraisal.skp.schemas import IndicatorPublic, RhkIn, RhkPublic, SkpCreate, SkpPublic
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.appraisal import SkpApproved
from kinerja_shared.outbox import Outbox
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


async def get_skp(session: AsyncSession, *, skp_id: str) -> Skp:
    """An SKP version by id (404 when unknown)."""
    skp = await session.get(Skp, skp_id)
    if skp is None:
        raise ResourceNotFound(f"SKP {skp_id!r} does not exist")
    return skp


async def items_of(session: AsyncSession, skp_id: str) -> list[tuple[Rhk, list[Indicator]]]:
    """The RHK items of a plan with their indicators, in order."""
    rhks = await repository.rhks_of(session, skp_id=skp_id)
    indicators = await repository.indicators_of(session, skp_id=skp_id)
    by_rhk: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_rhk.setdefault(indicator.rhk_id, []).append(indicator)
    return [(rhk, by_rhk.get(rhk.id, [])) for rhk in rhks]


async def public(session: AsyncSession, skp: Skp) -> SkpPublic:
    """The API view of a plan with its items."""
    items = await items_of(session, skp.id)
    return SkpPublic(
        id=skp.id,
        employee_id=skp.employee_id,
        year=skp.year,
        version=skp.version,
        state=skp.state,
        return_comments=skp.return_comments,
        submitted_at=skp.submitted_at,
        approved_at=skp.approved_at,
        approved_by=skp.approved_by,
        rhk=[
            RhkPublic(
                id=rhk.id,
                position=rhk.position,
                description=rhk.description,
                kind=rhk.kind,
                intervened_rhk_id=rhk.intervened_rhk_id,
                indicators=[
                    IndicatorPublic(
                        id=i.id, position=i.position, description=i.description, targets=i.targets
                    )
                    for i in indicators
                ],
            )
            for rhk, indicators in items
        ],
    )


async def _state_of(session: AsyncSession, skp: Skp) -> dict[str, Any]:
    return (await public(session, skp)).model_dump(mode="json")


async def _check_intervened(
    session: AsyncSession, employee: Employee, year: int, items: list[RhkIn]
) -> None:
    """An intervened RHK must be one of the supervisor's plan for the same year."""
    for index, item in enumerate(items):
        if item.intervened_rhk_id is None:
            continue
        field = f"body.rhk.{index}.intervened_rhk_id"
        rhk = await session.get(Rhk, item.intervened_rhk_id)
        owner = await session.get(Skp, rhk.skp_id) if rhk else None
        if owner is None or employee.supervisor_id is None:
            raise InvalidInput("the intervened RHK does not exist", field=field)
        if owner.employee_id != employee.supervisor_id or owner.year != year:
            raise InvalidInput(
                "an RHK may only intervene an RHK of the supervisor's plan for the same year",
                field=field,
            )


async def _write_items(session: AsyncSession, skp_id: str, items: list[RhkIn]) -> None:
    rhks = [
        Rhk(
            skp_id=skp_id,
            position=position,
            description=item.description,
            kind=item.kind,
            intervened_rhk_id=item.intervened_rhk_id,
        )
        for position, item in enumerate(items, start=1)
    ]
    session.add_all(rhks)
    await session.flush()  # no ORM relationships: RHK rows must exist before indicators
    for rhk, item in zip(rhks, items, strict=True):
        for number, indicator in enumerate(item.indicators, start=1):
            session.add(
                Indicator(
                    rhk_id=rhk.id,
                    skp_id=skp_id,
                    position=number,
                    description=indicator.description,
                    targets={str(aspect): text for aspect, text in indicator.targets.items()},
                )
            )
    await session.flush()


async def _own_employee(session: AsyncSession, actor: Identity) -> Employee:
    employee_id = access.require_employee_token(
        actor, "only an employee (a token with employee_id) has an SKP"
    )
    employee = access.require_known_employee(await session.get(Employee, employee_id))
    access.require_self(actor, employee)
    return employee


async def create_skp(session: AsyncSession, *, actor: Identity, data: SkpCreate) -> Skp:
    """Start the caller's SKP for a year (version 1, draft)."""
    employee = await _own_employee(session, actor)
    if (
        await repository.latest_version(session, employee_id=employee.id, year=data.year)
        is not None
    ):
        raise Conflict(
            f"an SKP for {data.year} exists; edit it, or revise it if approved", field="body.year"
        )
    await _check_intervened(session, employee, data.year, data.rhk)
    skp = Skp(employee_id=employee.id, year=data.year, version=1, state=SkpState.DRAFT)
    session.add(skp)
    await session.flush()
    await _write_items(session, skp.id, data.rhk)
    await record_change(
        session,
        actor=actor,
        action="skp.created",
        entity_type="skp",
        entity_id=skp.id,
        before=None,
        after=await _state_of(session, skp),
    )
    return skp


def _apply(skp: Skp, action: SkpAction, comments: str | None = None) -> bool:
    outcome = skp_transition(SkpState(skp.state), action, comments=comments)
    skp.state = outcome.state
    return outcome.new_version


async def update_skp(
    session: AsyncSession, *, actor: Identity, skp_id: str, items: list[RhkIn]
) -> Skp:
    """Replace the items of a draft or returned plan (a returned plan goes back to draft)."""
    skp = await get_skp(session, skp_id=skp_id)
    employee = await _own_employee(session, actor)
    access.require_own_skp(employee, skp, "edit")
    before = await _state_of(session, skp)
    _apply(skp, SkpAction.EDIT)
    await _check_intervened(session, employee, skp.year, items)
    await repository.delete_items(session, skp_id=skp.id)
    await _write_items(session, skp.id, items)
    await record_change(
        session,
        actor=actor,
        action="skp.edited",
        entity_type="skp",
        entity_id=skp.id,
        before=before,
        after=await _state_of(session, skp),
    )
    return skp


async def submit_skp(session: AsyncSession, *, actor: Identity, skp_id: str, now: datetime) -> Skp:
    """The employee submits the plan to the supervisor."""
    skp = await get_skp(session, skp_id=skp_id)
    employee = await _own_employee(session, actor)
    access.require_own_skp(employee, skp, "submit")
    if employee.supervisor_id is None:
        raise Conflict("the employee has no supervisor to approve the plan")
    before = {"state": skp.state}
    _apply(skp, SkpAction.SUBMIT)
    skp.submitted_at = now
    await record_change(
        session,
        actor=actor,
        action="skp.submitted",
        entity_type="skp",
        entity_id=skp.id,
        before=before,
        after={"state": skp.state},
    )
    return skp


async def _as_supervisor(session: AsyncSession, actor: Identity, skp: Skp) -> Employee:
    employee = await get_employee(session, employee_id=skp.employee_id)
    access.require_direct_supervisor(actor, employee)
    return employee


async def approve_skp(
    session: AsyncSession, *, outbox: Outbox, actor: Identity, skp_id: str, now: datetime
) -> Skp:
    """The direct supervisor approves a submitted plan; `skp.approved` is announced."""
    skp = await get_skp(session, skp_id=skp_id)
    employee = await _as_supervisor(session, actor, skp)
    before = {"state": skp.state}
    _apply(skp, SkpAction.APPROVE)
    skp.approved_at, skp.approved_by, skp.return_comments = now, actor.employee_id, None
    items = await items_of(session, skp.id)
    await record_change(
        session,
        actor=actor,
        action="skp.approved",
        entity_type="skp",
        entity_id=skp.id,
        before=before,
        after={"state": skp.state, "approved_by": skp.approved_by},
        outbox=outbox,
        event=SkpApproved(
            skp_id=skp.id,
            employee_id=employee.id,
            unit_id=employee.unit_id,
            year=skp.year,
            version=skp.version,
            approved_by=str(actor.employee_id),
            rhk_count=len(items),
            indicator_count=sum(len(indicators) for _, indicators in items),
            approved_at=now,
        ),
    )
    return skp


async def return_skp(session: AsyncSession, *, actor: Identity, skp_id: str, comments: str) -> Skp:
    """The direct supervisor returns a submitted plan with comments."""
    skp = await get_skp(session, skp_id=skp_id)
    await _as_supervisor(session, actor, skp)
    before = {"state": skp.state}
    _apply(skp, SkpAction.RETURN, comments)
    skp.return_comments = comments
    await record_change(
        session,
        actor=actor,
        action="skp.returned",
        entity_type="skp",
        entity_id=skp.id,
        before=before,
        after={"state": skp.state, "return_comments": comments},
    )
    return skp


async def revise_skp(session: AsyncSession, *, actor: Identity, skp_id: str) -> Skp:
    """Change an approved plan: a new draft version with the same items; the old one stays."""
    skp = await get_skp(session, skp_id=skp_id)
    employee = await _own_employee(session, actor)
    access.require_own_skp(employee, skp, "revise")
    latest = await repository.latest_version(session, employee_id=employee.id, year=skp.year)
    if latest is not None and latest.id != skp.id:
        raise Conflict(f"version {latest.version} is newer; revise that one")
    outcome = skp_transition(SkpState(skp.state), SkpAction.CHANGE)
    revised = Skp(
        employee_id=employee.id, year=skp.year, version=skp.version + 1, state=outcome.state
    )
    session.add(revised)
    await session.flush()
    for rhk, indicators in await items_of(session, skp.id):
        copy = Rhk(
            skp_id=revised.id,
            position=rhk.position,
            description=rhk.description,
            kind=rhk.kind,
            intervened_rhk_id=rhk.intervened_rhk_id,
        )
        session.add(copy)
        await session.flush()
        for indicator in indicators:
            session.add(
                Indicator(
                    rhk_id=copy.id,
                    skp_id=revised.id,
                    position=indicator.position,
                    description=indicator.description,
                    targets=dict(indicator.targets),
                )
            )
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="skp.revised",
        entity_type="skp",
        entity_id=revised.id,
        before={"previous_version_id": skp.id, "version": skp.version},
        after=await _state_of(session, revised),
    )
    return revised


async def list_skps(
    session: AsyncSession,
    *,
    actor: Identity,
    page: PageParams,
    employee_id: str,
    year: int | None = None,
) -> tuple[Sequence[Skp], int]:
    """Every version of an employee's plans, latest year and version first (for those who
    may read the employee's records)."""
    await readable_employee(session, actor=actor, employee_id=employee_id)
    return await repository.skps_page(session, page=page, employee_id=employee_id, year=year)


async def read_skp(session: AsyncSession, *, actor: Identity, skp_id: str) -> Skp:
    """One version of a plan, for those who may read the employee's records."""
    skp = await get_skp(session, skp_id=skp_id)
    await readable_employee(session, actor=actor, employee_id=skp.employee_id)
    return skp


async def approved_plan(session: AsyncSession, *, employee_id: str, year: int) -> Skp | None:
    """The latest approved version of an employee's plan for a year."""
    return await repository.latest_approved(session, employee_id=employee_id, year=year)
