"""Public routes of a tracking code: follow, reopen, withdraw (no account needed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from kinerja_feedback.clock import Now
from kinerja_feedback.complaints.schemas import Reopen
from kinerja_feedback.tracking import service
from kinerja_feedback.tracking.service import TrackingView
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/track", tags=["tracking"])


@router.get(
    "/{tracking_code}", summary="Follow a submission", responses=problem_responses(404, 422)
)
async def track(tracking_code: str, session: SessionDep, now: Now) -> TrackingView:
    """Status, deadlines and public history of a submission, by tracking code."""
    feedback = await service.find(session, tracking_code)
    return await service.view(session, feedback, now)


@router.post(
    "/{tracking_code}/withdraw",
    summary="Withdraw a submission",
    responses=problem_responses(404, 422),
)
async def withdraw(
    tracking_code: str, session: SessionDep, runtime: Runtime, now: Now
) -> TrackingView:
    """It stops counting; contact, comment and profile are erased; feedback.withdrawn."""
    feedback = await service.withdraw(session, runtime.outbox, raw_code=tracking_code, now=now)
    return await service.view(session, feedback, now)


@router.post(
    "/{tracking_code}/reopen",
    summary="Reopen a resolved or rejected complaint",
    responses=problem_responses(404, 409, 422),
)
async def reopen(
    tracking_code: str,
    body: Annotated[Reopen, Body()],
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> TrackingView:
    """The citizen disagrees with the outcome; publishes complaint.status_changed."""
    feedback = await service.reopen(
        session, runtime.outbox, raw_code=tracking_code, reason=body.reason, now=now
    )
    return await service.view(session, feedback, now)
