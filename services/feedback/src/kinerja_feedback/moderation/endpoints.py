"""Routes of the moderators' review queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kinerja_feedback.dependencies import Now, SecretsDep
from kinerja_feedback.moderation import service
from kinerja_feedback.moderation.schemas import (
    Decision,
    LoggedAction,
    Original,
    QueueItem,
    ScoresDecision,
)
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import problem_responses
from kinerja_shared.query import Order

router = APIRouter(prefix="/moderation", tags=["moderation"])


@router.get("/queue", summary="Submissions waiting for review")
async def review_queue(
    identity: CurrentIdentity,
    session: SessionDep,
    page: Paging,
    unit_id: Annotated[str | None, Query(max_length=64)] = None,
    order: Order = "newest",
) -> Page[QueueItem]:
    """Unit staff see their unit's queue, bkpsdm_admin any unit's; nobody sees what names
    them or anyone they supervise. Newest first unless `order=oldest`."""
    return await service.queue(
        session, identity=identity, unit_id=unit_id, page=page, newest_first=order == "newest"
    )


@router.get(
    "/{feedback_id}/original",
    summary="The original comment (logged)",
    responses=problem_responses(403, 404),
)
async def read_original(
    feedback_id: str, identity: CurrentIdentity, session: SessionDep, secrets: SecretsDep, now: Now
) -> Original:
    """The unmasked comment, for moderators of its unit."""
    return await service.read_original(
        session, secrets, identity=identity, feedback_id=feedback_id, now=now
    )


@router.post(
    "/{feedback_id}/decision",
    summary="Publish (with masks) or reject the comment",
    responses=problem_responses(403, 404, 409, 422),
)
async def decide(
    feedback_id: str,
    decision: Annotated[Decision, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> QueueItem:
    """Publishes feedback.moderated, and the comment on kinerja.feedback.comments when it is
    approved; whether the scores count is not changed by it."""
    feedback = await service.decide(
        session,
        runtime.outbox,
        identity=identity,
        feedback_id=feedback_id,
        decision=decision,
        now=now,
    )
    return service.item(feedback)


@router.post(
    "/{feedback_id}/scores",
    summary="Count or discard held scores",
    responses=problem_responses(403, 404, 409, 422),
)
async def decide_scores(
    feedback_id: str,
    decision: Annotated[ScoresDecision, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> QueueItem:
    """For the unit's IKM (held as suspicious) and/or the named employee's summary (held by
    the anti-stuffing rules); publishes feedback.scores_reviewed."""
    feedback = await service.decide_scores(
        session,
        runtime.outbox,
        identity=identity,
        feedback_id=feedback_id,
        decision=decision,
        now=now,
    )
    return service.item(feedback)


@router.get(
    "/{feedback_id}/log",
    summary="The moderation log of a submission",
    responses=problem_responses(403, 404),
)
async def moderation_log(
    feedback_id: str, identity: CurrentIdentity, session: SessionDep
) -> list[LoggedAction]:
    """Every action and read, for staff of the unit."""
    return await service.log(session, identity=identity, feedback_id=feedback_id)
