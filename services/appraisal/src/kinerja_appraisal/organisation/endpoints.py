"""HTTP routes of units and employees."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kinerja_appraisal.organisation import service
from kinerja_appraisal.organisation.schemas import (
    EmployeeCreate,
    EmployeePublic,
    EmployeeUpdate,
    PlacementPublic,
    UnitCreate,
    UnitKind,
    UnitPublic,
    UnitUpdate,
)
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import problem_responses

router = APIRouter(tags=["organisation"], responses=problem_responses(401, 403, 422))


@router.post("/units", status_code=201, response_model=UnitPublic, responses=problem_responses(409))
async def create_unit(
    data: UnitCreate, session: SessionDep, runtime: Runtime, identity: CurrentIdentity
) -> UnitPublic:
    """Add a unit to the organisation tree (BKPSDM)."""
    unit = await service.create_unit(session, outbox=runtime.outbox, actor=identity, data=data)
    return UnitPublic.model_validate(unit, from_attributes=True)


@router.get("/units", response_model=Page[UnitPublic])
async def list_units(
    session: SessionDep,
    identity: CurrentIdentity,
    paging: Paging,
    kind: UnitKind | None = None,
    parent_id: str | None = None,
    roots: Annotated[bool, Query(description="Only units without a parent")] = False,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[UnitPublic]:
    """Units, filtered by kind, parent and text; walk the tree with `parent_id`."""
    rows, total = await service.list_units(
        session, actor=identity, page=paging, kind=kind, parent_id=parent_id, roots=roots, q=q
    )
    return Page(
        items=[UnitPublic.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/units/{unit_id}", response_model=UnitPublic, responses=problem_responses(404))
async def read_unit(unit_id: str, session: SessionDep, identity: CurrentIdentity) -> UnitPublic:
    """One unit."""
    unit = await service.read_unit(session, actor=identity, unit_id=unit_id)
    return UnitPublic.model_validate(unit, from_attributes=True)


@router.patch("/units/{unit_id}", response_model=UnitPublic, responses=problem_responses(404))
async def update_unit(
    unit_id: str,
    data: UnitUpdate,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
) -> UnitPublic:
    """Change a unit (BKPSDM)."""
    unit = await service.update_unit(
        session, outbox=runtime.outbox, actor=identity, unit_id=unit_id, data=data
    )
    return UnitPublic.model_validate(unit, from_attributes=True)


@router.post(
    "/employees",
    status_code=201,
    response_model=EmployeePublic,
    responses=problem_responses(409),
)
async def create_employee(
    data: EmployeeCreate, session: SessionDep, runtime: Runtime, identity: CurrentIdentity
) -> EmployeePublic:
    """Register an employee (BKPSDM); the NIP is validated part by part."""
    employee = await service.create_employee(
        session, outbox=runtime.outbox, actor=identity, data=data
    )
    return EmployeePublic.model_validate(employee, from_attributes=True)


@router.get("/employees", response_model=Page[EmployeePublic])
async def list_employees(
    session: SessionDep,
    identity: CurrentIdentity,
    paging: Paging,
    unit_id: str | None = None,
    supervisor_id: str | None = None,
    kind: str | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[EmployeePublic]:
    """Employees (BKPSDM and analysts: all; a supervisor: their direct subordinates)."""
    rows, total = await service.list_employees(
        session,
        actor=identity,
        page=paging,
        unit_id=unit_id,
        supervisor_id=supervisor_id,
        kind=kind,
        q=q,
    )
    return Page(
        items=[EmployeePublic.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get(
    "/employees/{employee_id}", response_model=EmployeePublic, responses=problem_responses(404)
)
async def read_employee(
    employee_id: str, session: SessionDep, identity: CurrentIdentity
) -> EmployeePublic:
    """One employee (self, supervisor, reviewer, BKPSDM, analysts)."""
    employee = await service.read_employee(session, actor=identity, employee_id=employee_id)
    return EmployeePublic.model_validate(employee, from_attributes=True)


@router.patch(
    "/employees/{employee_id}", response_model=EmployeePublic, responses=problem_responses(404)
)
async def update_employee(
    employee_id: str,
    data: EmployeeUpdate,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
) -> EmployeePublic:
    """Change or move an employee (BKPSDM); moves are kept in the placement history."""
    employee = await service.update_employee(
        session, outbox=runtime.outbox, actor=identity, employee_id=employee_id, data=data
    )
    return EmployeePublic.model_validate(employee, from_attributes=True)


@router.get(
    "/employees/{employee_id}/placements",
    response_model=list[PlacementPublic],
    responses=problem_responses(404),
)
async def employee_placements(
    employee_id: str, session: SessionDep, identity: CurrentIdentity
) -> list[PlacementPublic]:
    """Where an employee has worked: units, positions and supervisors over time."""
    rows = await service.placements(session, actor=identity, employee_id=employee_id)
    return [PlacementPublic.model_validate(r, from_attributes=True) for r in rows]
