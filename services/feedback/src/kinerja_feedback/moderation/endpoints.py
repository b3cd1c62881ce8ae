"""Routes of the moderators' review queue."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Query
from pydantic import BaseModel

from kinerja_feedback.access import require_staff, require_unit_staff, visible_unit
from kinerja_feedback.conflicts import refuse_if_conflicted
from kinerja_feedback.dependencies import Now, SecretsDep
from kinerja_feedback.moderation import service
from kinerja_feedback.moderation.service import Decision, Original, QueueItem, ScoresDecision
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import ResourceNotFound, problem_responses
from kinerja_shared.query import Order

router = APIRouter(prefix="/moderation", tags=["moderation"])


class LoggedAction(BaseModel):
    """One logged moderation action or read of personal data."""

    action: str
    reason: str | None
    actor: str
    at: datetime


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
    require_staff(identity)
    rows, total = await service.queue(
        session,
        identity=identity,
        unit_id=visible_unit(identity, unit_id),
        page=page,
        newest_first=order == "newest",
    )
    return Page[QueueItem](
        items=[service.item(f) for f in rows], total=total, limit=page.limit, offset=page.offset
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
    from kinerja_feedback.models import Feedback

    feedback = await session.get(Feedback, feedback_id)
    if feedback is None:
        raise ResourceNotFound("no such submission")
    require_unit_staff(identity, feedback.unit_id)
    await refuse_if_conflicted(session, identity, feedback)
    return [
        LoggedAction(action=a.action, reason=a.reason, actor=a.actor, at=a.at)
        for a in await service.log(session, feedback_id)
    ]
