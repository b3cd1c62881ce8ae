"""Handlers of the appraisal service's directory events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.directory import service
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.types.appraisal import EmployeeUpserted, UnitUpserted

router = EventRouter()


@router.on(UnitUpserted)
async def on_unit_upserted(session: AsyncSession, event: CloudEvent, payload: UnitUpserted) -> None:
    """Keep the unit in the local directory."""
    await service.upsert_unit(session, payload, now=event.time)


@router.on(EmployeeUpserted)
async def on_employee_upserted(
    session: AsyncSession, event: CloudEvent, payload: EmployeeUpserted
) -> None:
    """Keep the staff member (by public staff code) in the local directory."""
    await service.upsert_staff(session, payload, now=event.time)
