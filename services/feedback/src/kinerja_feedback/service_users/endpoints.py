"""Routes of the service-user counts units report (the base of SKM sample adequacy)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kinerja_feedback.dependencies import Now
from kinerja_feedback.service_users import service
from kinerja_feedback.service_users.schemas import ServiceUsersIn, ServiceUsersOut
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/service-users", tags=["service users"])


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
    return await service.report(session, runtime.outbox, identity=identity, body=body, now=now)


@router.get("", summary="Reported service users")
async def list_service_users(
    identity: CurrentIdentity,
    session: SessionDep,
    unit_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[ServiceUsersOut]:
    """Reports of the caller's unit (bkpsdm_admin: any or all)."""
    return await service.reports(session, identity=identity, unit_id=unit_id)
