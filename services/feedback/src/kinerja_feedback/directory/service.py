"""The local directory of units and staff, kept from the appraisal service's events."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.directory import repository
from kinerja_feedback.models import DirectoryStaff, DirectoryUnit
from kinerja_feedback.submissions.reference_cache import references_changed
from kinerja_shared.events.types.appraisal import AnyEmployeeUpserted, UnitUpserted

#: The longest line of supervisors followed (the directory could hold a cycle by mistake).
MAX_LINE = 32


async def upsert_unit(session: AsyncSession, unit: UnitUpserted, *, now: datetime) -> None:
    """Store the current state of a unit."""
    references_changed(session)
    await repository.upsert_unit(
        session,
        {
            "unit_id": unit.unit_id,
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "parent_id": unit.parent_id,
            "active": unit.active,
            "updated_at": now,
        },
    )


async def upsert_staff(
    session: AsyncSession, employee: AnyEmployeeUpserted, *, now: datetime
) -> None:
    """Store the current state of a staff member (public staff code, never the NIP nor the
    name: a v1 event's name is left out)."""
    references_changed(session)
    await repository.upsert_staff(
        session,
        {
            "employee_id": employee.employee_id,
            "staff_code": employee.staff_code,
            "position": employee.position,
            "unit_id": employee.unit_id,
            "supervisor_id": employee.supervisor_id,
            "active": employee.active,
            "updated_at": now,
        },
    )


async def get_unit(session: AsyncSession, unit_id: str) -> DirectoryUnit | None:
    """A unit of the directory, if known."""
    return await repository.unit(session, unit_id)


async def list_units(session: AsyncSession) -> list[DirectoryUnit]:
    """Every active unit, by name."""
    return await repository.active_units(session)


async def get_staff(session: AsyncSession, employee_id: str) -> DirectoryStaff | None:
    """A staff member by employee id, if known (active or not)."""
    return await repository.staff(session, employee_id)


async def staff_by_codes(session: AsyncSession, codes: list[str]) -> list[DirectoryStaff]:
    """Active staff with these public staff codes."""
    return await repository.active_staff_by_codes(session, codes)


async def staff_of_unit(session: AsyncSession, unit_id: str) -> list[DirectoryStaff]:
    """Active staff of a unit."""
    return await repository.active_staff_of_unit(session, unit_id)


class Hierarchy:
    """The lines of supervisors in the directory, read through one session (what
    access.Hierarchy asks for the conflict-of-interest rule)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def supervisors_of(self, employee_id: str) -> list[str]:
        """The employee's supervisor, theirs, and so on up the line (nearest first)."""
        line: list[str] = []
        current = employee_id
        for _ in range(MAX_LINE):
            supervisor = await repository.supervisor_of(self.session, current)
            if supervisor is None or supervisor == employee_id or supervisor in line:
                break
            line.append(supervisor)
            current = supervisor
        return line

    async def reports_of(self, employee_id: str) -> set[str]:
        """Everyone whose line of supervisors includes the employee (one query per level)."""
        found: set[str] = set()
        frontier = {employee_id}
        for _ in range(MAX_LINE):
            frontier = (
                await repository.direct_reports_of(self.session, frontier) - found - {employee_id}
            )
            if not frontier:
                break
            found |= frontier
        return found
