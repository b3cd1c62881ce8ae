"""Use cases of the organisation: units and employees, with events and audit entries."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.audit.service import record
from kinerja_appraisal.domain import EmployeeKind, InvalidEmployeeNumber, validate_employee_number
from kinerja_appraisal.models import Employee, EmployeePlacement, Unit
from kinerja_appraisal.organisation.events import employee_upserted, unit_upserted
from kinerja_appraisal.organisation.schemas import (
    EmployeeCreate,
    EmployeeUpdate,
    UnitCreate,
    UnitUpdate,
)
from kinerja_appraisal.pagination import PageParams
from kinerja_appraisal.state import as_dict
from kinerja_shared.auth import Identity
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.outbox import Outbox
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
    taken = await session.scalar(select(Unit.id).where(Unit.code == data.code))
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
    await record(
        session,
        actor=actor,
        action="unit.created",
        entity_type="unit",
        entity_id=unit.id,
        before=None,
        after=as_dict(unit),
    )
    await outbox.add(session, unit_upserted(unit))
    return unit


async def update_unit(
    session: AsyncSession, *, outbox: Outbox, actor: Identity, unit_id: str, data: UnitUpdate
) -> Unit:
    """Change a unit (name, kind, parent, head, active) and announce its new state."""
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
    await record(
        session,
        actor=actor,
        action="unit.updated",
        entity_type="unit",
        entity_id=unit.id,
        before=before,
        after=as_dict(unit),
    )
    await outbox.add(session, unit_upserted(unit))
    return unit


async def list_units(
    session: AsyncSession,
    *,
    page: PageParams,
    kind: str | None = None,
    parent_id: str | None = None,
    roots: bool = False,
    q: str | None = None,
) -> tuple[Sequence[Unit], int]:
    """Units filtered by kind, parent (or only roots) and a text in code or name."""
    query = select(Unit)
    if kind:
        query = query.where(Unit.kind == kind)
    if parent_id:
        query = query.where(Unit.parent_id == parent_id)
    if roots:
        query = query.where(Unit.parent_id.is_(None))  # type: ignore[union-attr]
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(Unit.name).like(pattern), func.lower(Unit.code).like(pattern))
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.order_by(Unit.code).limit(page.limit).offset(page.offset))
    return rows.all(), int(total or 0)


def validate_number(nip: str, kind: str, *, field: str = "body.nip") -> None:
    """Check a PNS NIP (every part) or a PPPK number; 422 naming the part at fault."""
    try:
        validate_employee_number(nip, EmployeeKind(kind))
    except InvalidEmployeeNumber as exc:
        raise InvalidInput(f"{exc.reason} ({exc.part})", field=field) from exc


async def new_staff_code(session: AsyncSession) -> str:
    """A fresh public staff code ("DPS-" and six characters) citizens may name."""
    while True:
        code = STAFF_CODE_PREFIX + "".join(secrets.choice(STAFF_CODE_ALPHABET) for _ in range(6))
        taken = await session.scalar(select(Employee.id).where(Employee.staff_code == code))
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
    validate_number(data.nip, data.kind)
    taken = await session.scalar(select(Employee.id).where(Employee.nip == data.nip))
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
    await record(
        session,
        actor=actor,
        action="employee.created",
        entity_type="employee",
        entity_id=employee.id,
        before=None,
        after=as_dict(employee),
    )
    await outbox.add(session, employee_upserted(employee))
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
    await record(
        session,
        actor=actor,
        action="employee.moved" if moved else "employee.updated",
        entity_type="employee",
        entity_id=employee.id,
        before=before,
        after=as_dict(employee),
    )
    await outbox.add(session, employee_upserted(employee))
    return employee


async def _open_placement(session: AsyncSession, employee: Employee, now: datetime) -> None:
    current = await session.scalars(
        select(EmployeePlacement).where(
            EmployeePlacement.employee_id == employee.id,
            EmployeePlacement.ended_at.is_(None),  # type: ignore[union-attr]
        )
    )
    for placement in current:
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
    page: PageParams,
    unit_id: str | None = None,
    supervisor_id: str | None = None,
    kind: str | None = None,
    q: str | None = None,
) -> tuple[Sequence[Employee], int]:
    """Employees filtered by unit, supervisor, kind and a text in name, NIP or staff code."""
    query = select(Employee)
    if unit_id:
        query = query.where(Employee.unit_id == unit_id)
    if supervisor_id:
        query = query.where(Employee.supervisor_id == supervisor_id)
    if kind:
        query = query.where(Employee.kind == kind)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Employee.name).like(pattern),
                Employee.nip.like(pattern),  # type: ignore[attr-defined]
                func.lower(Employee.staff_code).like(pattern),
            )
        )
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(Employee.name, Employee.id).limit(page.limit).offset(page.offset)
    )
    return rows.all(), int(total or 0)


async def placements(session: AsyncSession, *, employee_id: str) -> Sequence[EmployeePlacement]:
    """An employee's placements, oldest first."""
    await get_employee(session, employee_id=employee_id)
    rows = await session.scalars(
        select(EmployeePlacement)
        .where(EmployeePlacement.employee_id == employee_id)
        .order_by(col(EmployeePlacement.started_at), col(EmployeePlacement.id))
    )
    return rows.all()
