"""The directory as events describe it: units, employees, service points, periods, users."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.models import EMPLOYEE, SERVICE_POINT, UNIT
from kinerja_reporting.projections import repository
from kinerja_reporting.projections.context import Projection
from kinerja_reporting.projections.flags import evaluate_flags
from kinerja_shared.events.types.appraisal import (
    AnyEmployeeUpserted,
    PeriodClosed,
    PeriodOpened,
    UnitUpserted,
)
from kinerja_shared.events.types.feedback import ServicePointUpserted, ServiceUsersReported

_UNIT_COLUMNS = set(UNIT.c.keys())
_EMPLOYEE_COLUMNS = set(EMPLOYEE.c.keys())
_SERVICE_POINT_COLUMNS = set(SERVICE_POINT.c.keys())


#: The directory events applied together (consecutive ones arrive as one list).
DirectoryEvent = UnitUpserted | AnyEmployeeUpserted | ServicePointUpserted


async def record_directory(session: AsyncSession, *, payloads: Sequence[DirectoryEvent]) -> None:
    """Keep the current state of units, employees (the table has no name column: a v1
    event's name is left out) and service points, with one upsert per table.

    Each table's rows are written in the events' order (later states of a key win), so the
    result is that of applying the events one by one; a change of units gives the unit tree
    a new version (it is rolled up at query time, from a per-process copy that the version
    tells every replica to read again).
    """
    units: list[dict[str, Any]] = []
    employees: list[dict[str, Any]] = []
    points: list[dict[str, Any]] = []
    for payload in payloads:
        if isinstance(payload, UnitUpserted):
            units.append(payload.model_dump(include=_UNIT_COLUMNS))
        elif isinstance(payload, ServicePointUpserted):
            points.append(payload.model_dump(include=_SERVICE_POINT_COLUMNS))
        else:
            employees.append(payload.model_dump(include=_EMPLOYEE_COLUMNS))
    await repository.save_units(session, units)
    await repository.save_employees(session, employees)
    await repository.save_service_points(session, points)


async def record_period_opened(session: AsyncSession, *, payload: PeriodOpened) -> None:
    """Remember an appraisal period."""
    await repository.save_period(
        session,
        {
            "period_id": payload.period_id,
            "period_key": payload.period_key,
            "kind": payload.kind,
            "year": payload.year,
        },
    )


async def record_period_closed(session: AsyncSession, *, payload: PeriodClosed) -> None:
    """Mark an appraisal period closed."""
    await repository.save_period(
        session,
        {
            "period_id": payload.period_id,
            "period_key": payload.period_key,
            "kind": payload.kind,
            "year": payload.year,
            "closed": True,
        },
    )


async def record_service_users(
    session: AsyncSession, *, projection: Projection, payload: ServiceUsersReported, at: datetime
) -> None:
    """Keep a unit's service users for a period; sample adequacy, and so flags, may change."""
    await repository.save_service_users(
        session,
        {
            "unit_id": payload.unit_id,
            "period_key": payload.period_key,
            "service_users": payload.service_users,
        },
    )
    await evaluate_flags(
        session, projection=projection, changed={payload.unit_id: ({payload.period_key}, at)}
    )
