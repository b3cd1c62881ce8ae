"""SQL of the directory: the unit tree, employees, service points, service users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ScalarSelect, select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.models import (
    DIRECTORY_VERSION,
    EMPLOYEE,
    SERVICE_POINT,
    SERVICE_USERS,
    UNIT,
    UNIT_TREE,
)


async def service_point(session: AsyncSession, service_point_id: str) -> Any:
    """One service point row, or None."""
    return (
        await session.execute(
            select(SERVICE_POINT).where(SERVICE_POINT.c.service_point_id == service_point_id)
        )
    ).first()


async def service_points(session: AsyncSession, unit_ids: Iterable[str] | None) -> list[Any]:
    """Service points (of some units, or all), by id."""
    query = select(SERVICE_POINT).order_by(SERVICE_POINT.c.service_point_id)
    if unit_ids is not None:
        query = query.where(SERVICE_POINT.c.unit_id.in_(list(unit_ids)))
    return list((await session.execute(query)).all())


async def service_users_of_period(session: AsyncSession, period_key: str) -> dict[str, int]:
    """Service users every unit reported for one period, by unit id."""
    rows = (
        await session.execute(
            select(SERVICE_USERS.c.unit_id, SERVICE_USERS.c.service_users).where(
                SERVICE_USERS.c.period_key == period_key
            )
        )
    ).all()
    return {r.unit_id: r.service_users for r in rows}


async def employees_in(session: AsyncSession, unit_ids: Iterable[str]) -> dict[str, Any]:
    """Employees of some units by id."""
    rows = (
        await session.execute(select(EMPLOYEE).where(EMPLOYEE.c.unit_id.in_(list(unit_ids))))
    ).all()
    return {r.employee_id: r for r in rows}


def tree_version() -> ScalarSelect[Any]:
    """The unit tree's current version, as a scalar subquery to add to another statement."""
    return (
        select(DIRECTORY_VERSION.c.version)
        .where(DIRECTORY_VERSION.c.name == UNIT_TREE)
        .scalar_subquery()
    )


async def current_tree_version(session: AsyncSession) -> str | None:
    """The unit tree's current version (None: none stored)."""
    found: str | None = await session.scalar(select(tree_version()))
    return found


async def unit_rows_with_version(session: AsyncSession) -> list[Any]:
    """Every unit (id, parent, name) with the tree's version on each row, in one statement."""
    return list(
        (
            await session.execute(
                select(
                    UNIT.c.unit_id, UNIT.c.parent_id, UNIT.c.name, tree_version().label("version")
                )
            )
        ).all()
    )


async def unit_of_employee(session: AsyncSession, employee_id: str) -> str | None:
    """The unit an employee belongs to (None: unknown employee)."""
    found: str | None = await session.scalar(
        select(EMPLOYEE.c.unit_id).where(EMPLOYEE.c.employee_id == employee_id)
    )
    return found


async def staff_codes(session: AsyncSession, employee_ids: Iterable[str]) -> dict[str, str]:
    """Public staff codes of some employees, by employee id (unknown ones are left out)."""
    ids = list(set(employee_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(EMPLOYEE.c.employee_id, EMPLOYEE.c.staff_code).where(EMPLOYEE.c.employee_id.in_(ids))
    )
    return {r.employee_id: r.staff_code for r in rows}
