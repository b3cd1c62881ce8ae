"""The directory as events describe it: units, employees, service points, periods, users."""

from __future__ import annotations

from datetime import datetime

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


async def record_unit(session: AsyncSession, *, payload: UnitUpserted) -> None:
    """Keep a unit's current state (the tree is rolled up at query time, from a per-process
    copy that the new directory version tells every replica to read again)."""
    await repository.save_unit(session, payload.model_dump(include=set(UNIT.c.keys())))


async def record_employee(session: AsyncSession, *, payload: AnyEmployeeUpserted) -> None:
    """Keep an employee's current state (the table has no name column: a v1 event's name is
    left out)."""
    await repository.save_employee(session, payload.model_dump(include=set(EMPLOYEE.c.keys())))


async def record_service_point(session: AsyncSession, *, payload: ServicePointUpserted) -> None:
    """Keep a service point's current state."""
    await repository.save_service_point(
        session, payload.model_dump(include=set(SERVICE_POINT.c.keys()))
    )


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
