"""Routes of erasure requests (BKPSDM): a person's data removed wherever it is kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kinerja_feedback.dependencies import Now, SecretsDep
from kinerja_feedback.erasure import service
from kinerja_feedback.erasure.schemas import ErasureCreate, ErasurePublic
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/erasures", tags=["erasure"])


@router.post(
    "",
    status_code=201,
    summary="Erase a person's submissions and personal data",
    responses=problem_responses(403, 404, 422),
)
async def create_erasure(
    body: Annotated[ErasureCreate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    secrets: SecretsDep,
    now: Now,
) -> ErasurePublic:
    """The submissions stop counting; their comments, contact, profile, location, stored
    receipts, moderation-log reasons and complaint messages are erased, and the published
    comments are tombstoned on kinerja.feedback.comments. bkpsdm_admin only."""
    return await service.erase_on_request(
        session, runtime.outbox, secrets, identity=identity, body=body, now=now
    )


@router.get("", summary="Erasures done (audit)", responses=problem_responses(403))
async def list_erasures(
    identity: CurrentIdentity,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ErasurePublic]:
    """Newest first. bkpsdm_admin only."""
    return await service.recent(session, identity=identity, limit=limit)
