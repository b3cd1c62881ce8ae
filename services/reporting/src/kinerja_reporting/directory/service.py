"""Use cases fed by directory events (units, employees, service points, periods, users)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.directory.tree_cache import tree_changed
from kinerja_reporting.flags.service import evaluate_unit_flags
from kinerja_reporting.models import (
    APPRAISAL_PERIOD,
    EMPLOYEE,
    SERVICE_POINT,
    SERVICE_USERS,
    UNIT,
)
from kinerja_reporting.projection import Projection
from kinerja_reporting.storage import upsert
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
    await upsert(session, UNIT, payload.model_dump(include=set(UNIT.c.keys())))
    await tree_changed(session)


async def record_employee(session: AsyncSession, *, payload: AnyEmployeeUpserted) -> None:
    """Keep an employee's current state (the table has no name column: a v1 event's name is
    left out)."""
    await upsert(session, EMPLOYEE, payload.model_dump(include=set(EMPLOYEE.c.keys())))


async def record_service_point(session: AsyncSession, *, payload: ServicePointUpserted) -> None:
    """Keep a service point's current state."""
    await upsert(session, SERVICE_POINT, payload.model_dump(include=set(SERVICE_POINT.c.keys())))


async def record_period_opened(session: AsyncSession, *, payload: PeriodOpened) -> None:
    """Remember an appraisal period."""
    await upsert(
        session,
        APPRAISAL_PERIOD,
        {
            "period_id": payload.period_id,
            "period_key": payload.period_key,
            "kind": payload.kind,
            "year": payload.year,
        },
    )


async def record_period_closed(session: AsyncSession, *, payload: PeriodClosed) -> None:
    """Mark an appraisal period closed."""
    await upsert(
        session,
        APPRAISAL_PERIOD,
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
    await upsert(
        session,
        SERVICE_USERS,
        {
            "unit_id": payload.unit_id,
            "period_key": payload.period_key,
            "service_users": payload.service_users,
        },
    )
    await evaluate_unit_flags(
        session,
        projection=projection,
        unit_id=payload.unit_id,
        period_keys=[payload.period_key],
        at=at,
    )
