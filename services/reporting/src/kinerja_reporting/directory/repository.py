"""SQL of the directory: the unit tree, employees, service points, service users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.directory.tree import UnitTree as UnitTree
from kinerja_reporting.directory.tree_cache import load_tree as load_tree
from kinerja_reporting.models import EMPLOYEE, SERVICE_POINT, SERVICE_USERS


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
