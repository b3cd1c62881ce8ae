"""SQL of units, employees and placements."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.models import Employee, EmployeePlacement, Unit
from kinerja_shared.pagination import PageParams


async def unit_id_with_code(session: AsyncSession, code: str) -> str | None:
    """The id of the unit with this code, if any."""
    return await session.scalar(select(Unit.id).where(Unit.code == code))


async def any_unit_exists(session: AsyncSession) -> bool:
    """Whether any unit is stored at all."""
    return await session.scalar(select(Unit.id).limit(1)) is not None


async def all_units(session: AsyncSession) -> Sequence[Unit]:
    """Every unit."""
    return (await session.scalars(select(Unit))).all()


async def units_page(
    session: AsyncSession,
    *,
    page: PageParams,
    kind: str | None,
    parent_id: str | None,
    roots: bool,
    q: str | None,
) -> tuple[Sequence[Unit], int]:
    """A page of units filtered by kind, parent (or only roots) and a text in code or name."""
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


async def employee_id_with_nip(session: AsyncSession, nip: str) -> str | None:
    """The id of the employee with this NIP, if any."""
    return await session.scalar(select(Employee.id).where(Employee.nip == nip))


async def employee_id_with_staff_code(session: AsyncSession, code: str) -> str | None:
    """The id of the employee with this public staff code, if any."""
    return await session.scalar(select(Employee.id).where(Employee.staff_code == code))


async def all_employees(session: AsyncSession) -> Sequence[Employee]:
    """Every employee."""
    return (await session.scalars(select(Employee))).all()


async def active_staff_ids(session: AsyncSession, *, unit_id: str) -> Sequence[str]:
    """The ids of the unit's active employees."""
    rows = await session.scalars(
        select(Employee.id).where(Employee.unit_id == unit_id, col(Employee.active).is_(True))
    )
    return rows.all()


async def employees_page(
    session: AsyncSession,
    *,
    page: PageParams,
    unit_id: str | None,
    supervisor_id: str | None,
    kind: str | None,
    q: str | None,
) -> tuple[Sequence[Employee], int]:
    """A page of employees filtered by unit, supervisor, kind and a text in name, NIP or
    staff code."""
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


async def open_placements(
    session: AsyncSession, *, employee_id: str
) -> Sequence[EmployeePlacement]:
    """The employee's placements that have not ended."""
    rows = await session.scalars(
        select(EmployeePlacement).where(
            EmployeePlacement.employee_id == employee_id,
            EmployeePlacement.ended_at.is_(None),  # type: ignore[union-attr]
        )
    )
    return rows.all()


async def placements_of(session: AsyncSession, *, employee_id: str) -> Sequence[EmployeePlacement]:
    """An employee's placements, oldest first."""
    rows = await session.scalars(
        select(EmployeePlacement)
        .where(EmployeePlacement.employee_id == employee_id)
        .order_by(col(EmployeePlacement.started_at), col(EmployeePlacement.id))
    )
    return rows.all()
