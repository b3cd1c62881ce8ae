"""Event payloads of units and employees (full current state, no NIP, no names of people)."""

from __future__ import annotations

from typing import Literal, cast

from kinerja_appraisal.models import Employee, Unit
from kinerja_shared.events.types.appraisal import EmployeeUpserted, UnitKind, UnitUpserted


def unit_upserted(unit: Unit) -> UnitUpserted:
    """The `unit.upserted` event of a unit."""
    return UnitUpserted(
        unit_id=unit.id,
        code=unit.code,
        name=unit.name,
        kind=cast(UnitKind, unit.kind),
        parent_id=unit.parent_id,
        head_employee_id=unit.head_employee_id,
        active=unit.active,
    )


def employee_upserted(employee: Employee) -> EmployeeUpserted:
    """The `employee.upserted` (v2) event of an employee: by id and staff code, never by NIP
    or name."""
    return EmployeeUpserted(
        employee_id=employee.id,
        staff_code=employee.staff_code,
        kind=cast(Literal["pns", "pppk"], employee.kind),
        position=employee.position,
        unit_id=employee.unit_id,
        supervisor_id=employee.supervisor_id,
        active=employee.active,
    )
