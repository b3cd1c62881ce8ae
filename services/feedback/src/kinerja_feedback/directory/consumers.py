"""Handlers of the appraisal service's directory events (mapped in handlers.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.directory import service
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.types.appraisal import AnyEmployeeUpserted, UnitUpserted


async def on_unit_upserted(session: AsyncSession, event: CloudEvent, payload: UnitUpserted) -> None:
    """Keep the unit in the local directory."""
    await service.upsert_unit(session, payload, now=event.time)


async def on_employee_upserted(
    session: AsyncSession, event: CloudEvent, payload: AnyEmployeeUpserted
) -> None:
    """Keep the staff member (by public staff code) in the local directory; v1 records, from
    before names left the stream, are read without the name."""
    await service.upsert_staff(session, payload, now=event.time)
