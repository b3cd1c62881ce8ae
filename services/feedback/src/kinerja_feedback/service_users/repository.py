"""SQL of the service-user counts: one report per unit and period, the latest winning."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import ServiceUsersReport
from kinerja_shared.upsert import insert_for


async def store_report(
    session: AsyncSession,
    *,
    unit_id: str,
    period_key: str,
    service_users: int,
    reported_by: str,
    reported_at: datetime,
) -> None:
    """Insert a unit's report for a period or overwrite the stored one."""
    values = {
        "unit_id": unit_id,
        "period_key": period_key,
        "service_users": service_users,
        "reported_by": reported_by,
        "reported_at": reported_at,
    }
    stmt = insert_for(session, ServiceUsersReport).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["unit_id", "period_key"],
            set_={
                "service_users": service_users,
                "reported_by": reported_by,
                "reported_at": reported_at,
            },
        )
    )


async def reports(session: AsyncSession, *, unit_id: str | None) -> list[ServiceUsersReport]:
    """The reports of a unit (None: every unit), by period."""
    stmt = select(ServiceUsersReport)
    if unit_id is not None:
        stmt = stmt.where(col(ServiceUsersReport.unit_id) == unit_id)
    rows = await session.scalars(stmt.order_by(col(ServiceUsersReport.period_key)))
    return list(rows)
