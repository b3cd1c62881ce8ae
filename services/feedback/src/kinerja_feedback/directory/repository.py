"""SQL of the local directory: units and staff as the appraisal service's events left them,
and the lines of supervisors."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import DirectoryStaff, DirectoryUnit
from kinerja_shared.upsert import insert_for

_STAFF = DirectoryStaff.__table__.c  # type: ignore[attr-defined]


async def upsert_unit(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert a unit or overwrite the stored one (by unit_id)."""
    stmt = insert_for(session, DirectoryUnit).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["unit_id"], set_={k: v for k, v in values.items() if k != "unit_id"}
        )
    )


async def upsert_staff(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert a staff member or overwrite the stored one (by employee_id)."""
    stmt = insert_for(session, DirectoryStaff).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["employee_id"],
            set_={k: v for k, v in values.items() if k != "employee_id"},
        )
    )


async def unit(session: AsyncSession, unit_id: str) -> DirectoryUnit | None:
    """A unit of the directory, if known."""
    return await session.get(DirectoryUnit, unit_id)


async def active_units(session: AsyncSession) -> list[DirectoryUnit]:
    """Every active unit, by name."""
    rows = await session.scalars(
        select(DirectoryUnit)
        .where(col(DirectoryUnit.active).is_(True))
        .order_by(col(DirectoryUnit.name))
    )
    return list(rows)


async def staff(session: AsyncSession, employee_id: str) -> DirectoryStaff | None:
    """A staff member of the directory by employee id, if known (active or not)."""
    return await session.get(DirectoryStaff, employee_id)


async def active_staff_by_codes(session: AsyncSession, codes: list[str]) -> list[DirectoryStaff]:
    """Active staff with these public staff codes."""
    if not codes:
        return []
    rows = await session.scalars(
        select(DirectoryStaff).where(
            col(DirectoryStaff.staff_code).in_(codes),
            col(DirectoryStaff.active).is_(True),
        )
    )
    return list(rows)


async def active_staff_of_unit(session: AsyncSession, unit_id: str) -> list[DirectoryStaff]:
    """Active staff of a unit."""
    rows = await session.scalars(
        select(DirectoryStaff).where(
            col(DirectoryStaff.unit_id) == unit_id,
            col(DirectoryStaff.active).is_(True),
        )
    )
    return list(rows)


async def supervisor_of(session: AsyncSession, employee_id: str) -> str | None:
    """The employee's direct supervisor, if the directory names one."""
    supervisor: str | None = await session.scalar(
        select(_STAFF.supervisor_id).where(_STAFF.employee_id == employee_id)
    )
    return supervisor


async def direct_reports_of(session: AsyncSession, employee_ids: set[str]) -> set[str]:
    """Everyone whose direct supervisor is one of these employees."""
    rows = await session.scalars(
        select(_STAFF.employee_id).where(_STAFF.supervisor_id.in_(sorted(employee_ids)))
    )
    return set(rows)
