"""The local directory of units and staff, kept from the appraisal service's events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import DirectoryStaff, DirectoryUnit
from kinerja_feedback.reference_cache import references_changed
from kinerja_feedback.upsert import insert_for
from kinerja_shared.events.types.appraisal import AnyEmployeeUpserted, UnitUpserted


async def upsert_unit(session: AsyncSession, unit: UnitUpserted, *, now: datetime) -> None:
    """Store the current state of a unit."""
    values = {
        "unit_id": unit.unit_id,
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent_id": unit.parent_id,
        "active": unit.active,
        "updated_at": now,
    }
    stmt = insert_for(session, DirectoryUnit).values(values)
    references_changed(session)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["unit_id"], set_={k: v for k, v in values.items() if k != "unit_id"}
        )
    )


async def upsert_staff(
    session: AsyncSession, employee: AnyEmployeeUpserted, *, now: datetime
) -> None:
    """Store the current state of a staff member (public staff code, never the NIP nor the
    name: a v1 event's name is left out)."""
    values = {
        "employee_id": employee.employee_id,
        "staff_code": employee.staff_code,
        "position": employee.position,
        "unit_id": employee.unit_id,
        "supervisor_id": employee.supervisor_id,
        "active": employee.active,
        "updated_at": now,
    }
    stmt = insert_for(session, DirectoryStaff).values(values)
    references_changed(session)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["employee_id"],
            set_={k: v for k, v in values.items() if k != "employee_id"},
        )
    )


async def get_unit(session: AsyncSession, unit_id: str) -> DirectoryUnit | None:
    """A unit of the directory, if known."""
    return await session.get(DirectoryUnit, unit_id)


async def list_units(session: AsyncSession) -> list[DirectoryUnit]:
    """Every active unit, by name."""
    rows = await session.scalars(
        select(DirectoryUnit)
        .where(col(DirectoryUnit.active).is_(True))
        .order_by(col(DirectoryUnit.name))
    )
    return list(rows)


async def staff_by_codes(session: AsyncSession, codes: list[str]) -> list[DirectoryStaff]:
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


async def staff_of_unit(session: AsyncSession, unit_id: str) -> list[DirectoryStaff]:
    """Active staff of a unit."""
    rows = await session.scalars(
        select(DirectoryStaff).where(
            col(DirectoryStaff.unit_id) == unit_id,
            col(DirectoryStaff.active).is_(True),
        )
    )
    return list(rows)
