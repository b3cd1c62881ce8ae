"""Routes of the service-user counts units report (the base of SKM sample adequacy)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import select
from sqlmodel import col

from kinerja_feedback.access import require_staff, require_unit_staff, visible_unit
from kinerja_feedback.dependencies import Now
from kinerja_feedback.directory import service as directory
from kinerja_feedback.models import ServiceUsersReport
from kinerja_feedback.upsert import insert_for
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.events.types.feedback import ServiceUsersReported
from kinerja_shared.problems import InvalidInput, problem_responses
from kinerja_shared.schemas import RequestModel

router = APIRouter(prefix="/service-users", tags=["service users"])

PeriodKey = Annotated[str, StringConstraints(pattern=r"^\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?$")]


class ServiceUsersIn(RequestModel):
    """How many citizens a unit served in a period (2026, 2026-Q1 or 2026-03)."""

    unit_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    period_key: PeriodKey
    service_users: int = Field(ge=0, le=100_000_000, strict=True)


class ServiceUsersOut(BaseModel):
    """A stored report."""

    unit_id: str
    period_key: str
    service_users: int
    reported_at: datetime


@router.put("", summary="Report the number of service users", responses=problem_responses(403, 422))
async def report_service_users(
    body: Annotated[ServiceUsersIn, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> ServiceUsersOut:
    """Unit staff for their unit (or bkpsdm_admin); the latest report wins; publishes
    service_users.reported."""
    require_unit_staff(identity, body.unit_id)
    if await directory.get_unit(session, body.unit_id) is None:
        raise InvalidInput(f"unknown unit {body.unit_id!r}", field="body.unit_id")
    values = {
        "unit_id": body.unit_id,
        "period_key": body.period_key,
        "service_users": body.service_users,
        "reported_by": identity.subject,
        "reported_at": now,
    }
    stmt = insert_for(session, ServiceUsersReport).values(values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["unit_id", "period_key"],
            set_={
                "service_users": body.service_users,
                "reported_by": identity.subject,
                "reported_at": now,
            },
        )
    )
    await runtime.outbox.add(
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


@router.get("", summary="Reported service users")
async def list_service_users(
    identity: CurrentIdentity,
    session: SessionDep,
    unit_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[ServiceUsersOut]:
    """Reports of the caller's unit (bkpsdm_admin: any or all)."""
    require_staff(identity)
    stmt = select(ServiceUsersReport)
    unit = visible_unit(identity, unit_id)
    if unit is not None:
        stmt = stmt.where(col(ServiceUsersReport.unit_id) == unit)
    rows = await session.scalars(stmt.order_by(col(ServiceUsersReport.period_key)))
    return [
        ServiceUsersOut(
            unit_id=r.unit_id,
            period_key=r.period_key,
            service_users=r.service_users,
            reported_at=r.reported_at,
        )
        for r in rows
    ]
