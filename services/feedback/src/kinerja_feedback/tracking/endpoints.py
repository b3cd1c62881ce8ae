"""Public routes of a tracking code: follow, reopen, withdraw (no account needed).

The code travels in the request body, never in the URL, so it stays out of access logs,
browser histories and proxies' logs.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from kinerja_feedback.dependencies import Now, SecretsDep, SettingsDep
from kinerja_feedback.tracking import service
from kinerja_feedback.tracking.schemas import TrackingCode, TrackingReopen
from kinerja_feedback.tracking.service import Lookups, TrackingView
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.gateway_assertion import ClientAddress
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/track", tags=["tracking"])


@router.post("", summary="Follow a submission", responses=problem_responses(404, 422, 429))
async def track(
    body: Annotated[TrackingCode, Body()],
    session: SessionDep,
    runtime: Runtime,
    settings: SettingsDep,
    secrets: SecretsDep,
    now: Now,
    client_address: ClientAddress,
) -> TrackingView:
    """Status, deadlines and public history of a submission, by its tracking code."""
    lookups = Lookups.of_address(runtime.sessions, settings, secrets, client_address)
    return await service.follow(session, lookups, code=body.tracking_code, now=now)


@router.post(
    "/withdraw",
    summary="Withdraw a submission",
    responses=problem_responses(404, 422, 429),
)
async def withdraw(
    body: Annotated[TrackingCode, Body()],
    session: SessionDep,
    runtime: Runtime,
    settings: SettingsDep,
    secrets: SecretsDep,
    now: Now,
    client_address: ClientAddress,
) -> TrackingView:
    """It stops counting; its personal data is erased everywhere; feedback.withdrawn."""
    lookups = Lookups.of_address(runtime.sessions, settings, secrets, client_address)
    return await service.withdraw(
        session, runtime.outbox, lookups, code=body.tracking_code, now=now
    )


@router.post(
    "/reopen",
    summary="Reopen a resolved or rejected complaint",
    responses=problem_responses(404, 409, 422, 429),
)
async def reopen(
    body: Annotated[TrackingReopen, Body()],
    session: SessionDep,
    runtime: Runtime,
    settings: SettingsDep,
    secrets: SecretsDep,
    now: Now,
    client_address: ClientAddress,
) -> TrackingView:
    """The citizen disagrees with the outcome; publishes complaint.status_changed."""
    lookups = Lookups.of_address(runtime.sessions, settings, secrets, client_address)
    return await service.reopen(
        session,
        runtime.outbox,
        lookups,
        code=body.tracking_code,
        reason=body.reason,
        settings=settings,
        now=now,
    )
