"""Use cases of the organisation: units and employees, with events and audit entries."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import EmployeeKind, validate_employee_number
from kinerja_appraisal.models import Employee, EmployeePlacement, Unit
from kinerja_appraisal.organisation import repository
from kinerja_appraisal.organisation.events import employee_upserted, unit_upserted
from kinerja_appraisal.organisation.schemas import (
    EmployeeCreate,
    EmployeeUpdate,
    UnitCreate,
    UnitUpdate,
)
from kinerja_shared.auth import Identity
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.outbox import Outbox
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound

STAFF_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
STAFF_CODE_PREFIX = "DPS-"


async def get_unit(session: AsyncSession, *, unit_id: str, field: str | None = None) -> Unit:
    """A unit by id; 404 (or 422 naming `field` when it is a reference in a request)."""
    unit = await session.get(Unit, unit_id)
    if unit is None:
        if field:
            raise InvalidInput(f"unit {unit_id!r} does not exist", field=field)
        raise ResourceNotFound(f"unit {unit_id!r} does not exist")
    return unit


async def get_employee(
    session: AsyncSession, *, employee_id: str, field: str | None = None
) -> Employee:
    """An employee by id; 404 (or 422 naming `field` when it is a reference in a request)."""
    employee = await session.get(Employee, employee_id)
    if employee is None:
        if field:
            raise InvalidInput(f"employee {employee_id!r} does not exist", field=field)
        raise ResourceNotFound(f"employee {employee_id!r} does not exist")
    return employee


async def supervisor_of(session: AsyncSession, employee: Employee) -> Employee | None:
    """The employee's direct supervisor, if any."""
    return await session.get(Employee, employee.supervisor_id) if employee.supervisor_id else None


async def readable_employee(
    session: AsyncSession, *, actor: Identity, employee_id: str
) -> Employee:
    """An employee whose appraisal records the caller may read (404, then 403)."""
    employee = await get_employee(session, employee_id=employee_id)
    access.require_reader(actor, employee, await supervisor_of(session, employee))
    return employee


async def read_unit(session: AsyncSession, *, actor: Identity, unit_id: str) -> Unit:
    """One unit, for staff."""
    access.require_staff(actor)
    return await get_unit(session, unit_id=unit_id)


async def _check_parent(session: AsyncSession, unit_id: str | None, parent_id: str) -> None:
    """Refuse a parent that does not exist or would make the tree a cycle."""
    current: str | None = parent_id
    seen: set[str] = set()
    while current is not None and current not in seen:
        if current == unit_id:
            raise InvalidInput("a unit cannot be placed under itself", field="body.parent_id")
        seen.add(current)
        parent = await get_unit(session, unit_id=current, field="body.parent_id")
        current = parent.parent_id


async def create_unit(
    session: AsyncSession, *, outbox: Outbox, actor: Identity, data: UnitCreate
) -> Unit:
    """Add a unit to the tree and announce it."""
    access.require_admin(actor)
    taken = await repository.unit_id_with_code(session, data.code)
    if taken is not None:
        raise Conflict(f"a unit with code {data.code!r} exists", field="body.code")
    if data.parent_id is not None:
        await _check_parent(session, None, data.parent_id)
    if data.head_employee_id is not None:
        await get_employee(
            session, employee_id=data.head_employee_id, field="body.head_employee_id"
        )
    unit = Unit(**data.model_dump())
    session.add(unit)
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="unit.created",
        entity_type="unit",
        entity_id=unit.id,
        before=None,
        after=as_dict(unit),
        outbox=outbox,
        event=unit_upserted(unit),
    )
    return unit


async def update_unit(
    session: AsyncSession, *, outbox: Outbox, actor: Identity, unit_id: str, data: UnitUpdate
) -> Unit:
    """Change a unit (name, kind, parent, head, active) and announce its new state."""
    access.require_admin(actor)
    unit = await get_unit(session, unit_id=unit_id)
    before = as_dict(unit)
    changes = data.model_dump(exclude_unset=True)
    for required in ("name", "kind", "active"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} cannot be null", field=f"body.{required}")
    if changes.get("parent_id") is not None:
        await _check_parent(session, unit.id, changes["parent_id"])
    if changes.get("head_employee_id") is not None:
        await get_employee(
            session, employee_id=changes["head_employee_id"], field="body.head_employee_id"
        )
    for key, value in changes.items():
        setattr(unit, key, value)
    unit.updated_at = utcnow()
    await record_change(
        session,
        actor=actor,
        action="unit.updated",
        entity_type="unit",
        entity_id=unit.id,
        before=before,
        after=as_dict(unit),
        outbox=outbox,
        event=unit_upserted(unit),
    )
    return unit


async def list_units(
    session: AsyncSession,
    *,
    actor: Identity,
    page: PageParams,
    kind: str | None = None,
    parent_id: str | None = None,
    roots: bool = False,
    q: str | None = None,
) -> tuple[Sequence[Unit], int]:
    """Units filtered by kind, parent (or only roots) and a text in code or name."""
    access.require_staff(actor)
    return await repository.units_page(
        session, page=page, kind=kind, parent_id=parent_id, roots=roots, q=q
    )


async def new_staff_code(session: AsyncSession) -> str:
    """A fresh public staff code ("DPS-" and six characters) citizens may name."""
    while True:
        code = STAFF_CODE_PREFIX + "".join(secrets.choice(STAFF_CODE_ALPHABET) for _ in range(6))
        taken = await repository.employee_id_with_staff_code(session, code)
        if taken is None:
            return code


async def _check_supervisor(
    session: AsyncSession, employee_id: str | None, supervisor_id: str
) -> None:
    """Refuse a supervisor who does not exist, is the employee, or is below them."""
    current: str | None = supervisor_id
    seen: set[str] = set()
    while current is not None and current not in seen:
        if current == employee_id:
            raise InvalidInput(
                "an employee cannot supervise themselves, directly or through others",
                field="body.supervisor_id",
            )
        seen.add(current)
        boss = await get_employee(session, employee_id=current, field="body.supervisor_id")
        current = boss.supervisor_id


async def create_employee(
    session: AsyncSession, *, outbox: Outbox, actor: Identity, data: EmployeeCreate
) -> Employee:
    """Register an employee (NIP validated) with a new staff code, and announce them."""
    access.require_admin(actor)
    validate_employee_number(data.nip, EmployeeKind(data.kind))
    taken = await repository.employee_id_with_nip(session, data.nip)
    if taken is not None:
        raise Conflict("an employee with this NIP exists", field="body.nip")
    await get_unit(session, unit_id=data.unit_id, field="body.unit_id")
    if data.supervisor_id is not None:
        await _check_supervisor(session, None, data.supervisor_id)
    employee = Employee(**data.model_dump(), staff_code=await new_staff_code(session))
    session.add(employee)
    await session.flush()
    session.add(
        EmployeePlacement(
            employee_id=employee.id,
            unit_id=employee.unit_id,
            position=employee.position,
            supervisor_id=employee.supervisor_id,
        )
    )
    await record_change(
        session,
        actor=actor,
        action="employee.created",
        entity_type="employee",
        entity_id=employee.id,
        before=None,
        after=as_dict(employee),
        outbox=outbox,
        event=employee_upserted(employee),
    )
    return employee


async def update_employee(
    session: AsyncSession,
    *,
    outbox: Outbox,
    actor: Identity,
    employee_id: str,
    data: EmployeeUpdate,
) -> Employee:
    """Change an employee; a new unit, position or supervisor closes the current placement."""
    access.require_admin(actor)
    employee = await get_employee(session, employee_id=employee_id)
    before = as_dict(employee)
    changes = data.model_dump(exclude_unset=True)
    for required in ("name", "position", "unit_id", "active"):
        if required in changes and changes[required] is None:
            raise InvalidInput(f"{required} cannot be null", field=f"body.{required}")
    if changes.get("unit_id") is not None:
        await get_unit(session, unit_id=changes["unit_id"], field="body.unit_id")
    if changes.get("supervisor_id") is not None:
        await _check_supervisor(session, employee.id, changes["supervisor_id"])
    moved = any(
        key in changes and changes[key] != getattr(employee, key)
        for key in ("unit_id", "position", "supervisor_id")
    )
    for key, value in changes.items():
        setattr(employee, key, value)
    now = utcnow()
    employee.updated_at = now
    if moved:
        await _open_placement(session, employee, now)
    await record_change(
        session,
        actor=actor,
        action="employee.moved" if moved else "employee.updated",
        entity_type="employee",
        entity_id=employee.id,
        before=before,
        after=as_dict(employee),
        outbox=outbox,
        event=employee_upserted(employee),
    )
    return employee


async def _open_placement(session: AsyncSession, employee: Employee, now: datetime) -> None:
    for placement in await repository.open_placements(session, employee_id=employee.id):
        placement.ended_at = now
    session.add(
        EmployeePlacement(
            employee_id=employee.id,
            unit_id=employee.unit_id,
            position=employee.position,
            supervisor_id=employee.supervisor_id,
            started_at=now,
        )
    )


async def list_employees(
    session: AsyncSession,
    *,
    actor: Identity,
    page: PageParams,
    unit_id: str | None = None,
    supervisor_id: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> tuple[Sequence[Employee], int]:
    """Employees filtered by unit, supervisor, kind and a text in name, NIP or staff code;
    a supervisor lists only their direct subordinates."""
    return await repository.employees_page(
        session,
        page=page,
        unit_id=unit_id,
        supervisor_id=access.listable_subordinates_of(actor, supervisor_id),
        kind=kind,
        q=q,
    )


async def read_employee(session: AsyncSession, *, actor: Identity, employee_id: str) -> Employee:
    """One employee, for those who may read their records."""
    return await readable_employee(session, actor=actor, employee_id=employee_id)


async def placements(
    session: AsyncSession, *, actor: Identity, employee_id: str
) -> Sequence[EmployeePlacement]:
    """An employee's placements, oldest first (BKPSDM, analysts, the employee)."""
    employee = await get_employee(session, employee_id=employee_id)
    access.require_placement_reader(actor, employee)
    return await repository.placements_of(session, employee_id=employee_id)
