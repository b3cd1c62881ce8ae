"""Use cases of the service-user counts units report (the base of SKM sample adequacy)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback import access
from kinerja_feedback.directory import service as directory
from kinerja_feedback.service_users import repository
from kinerja_feedback.service_users.schemas import ServiceUsersIn, ServiceUsersOut
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import ServiceUsersReported
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import InvalidInput


async def report(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    body: ServiceUsersIn,
    now: datetime,
) -> ServiceUsersOut:
    """Store a unit's count for a period (unit staff of the unit, or bkpsdm_admin; the latest
    report wins) and publish service_users.reported."""
    access.require_unit_staff(identity, body.unit_id)
    if await directory.get_unit(session, body.unit_id) is None:
        raise InvalidInput(f"unknown unit {body.unit_id!r}", field="body.unit_id")
    await repository.store_report(
        session,
        unit_id=body.unit_id,
        period_key=body.period_key,
        service_users=body.service_users,
        reported_by=identity.subject,
        reported_at=now,
    )
    await outbox.add(
        session,
        ServiceUsersReported(
            unit_id=body.unit_id,
            period_key=body.period_key,
            service_users=body.service_users,
            reported_at=now,
        ),
    )
    return ServiceUsersOut(
        unit_id=body.unit_id,
        period_key=body.period_key,
        service_users=body.service_users,
        reported_at=now,
    )


async def reports(
    session: AsyncSession, *, identity: Identity, unit_id: str | None
) -> list[ServiceUsersOut]:
    """Reports of the caller's unit (bkpsdm_admin: any or all), by period."""
    access.require_staff(identity)
    unit = access.visible_unit(identity, unit_id)
    return [
        ServiceUsersOut(
            unit_id=r.unit_id,
            period_key=r.period_key,
            service_users=r.service_users,
            reported_at=r.reported_at,
        )
        for r in await repository.reports(session, unit_id=unit)
    ]
