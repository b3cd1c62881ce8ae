"""The pull API: final results changed since a cursor, for systems without Kafka."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kinerja_appraisal.results import service
from kinerja_appraisal.results.schemas import ResultChanges
from kinerja_shared.app import SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses
from kinerja_shared.query import MAX_INTEGER

router = APIRouter(tags=["results"], responses=problem_responses(401, 403, 422))


@router.get("/results/changes", response_model=ResultChanges)
async def result_changes(
    session: SessionDep,
    identity: CurrentIdentity,
    period_id: Annotated[str | None, Query(max_length=32)] = None,
    after: Annotated[
        int, Query(ge=0, le=MAX_INTEGER, description="Cursor: the last sequence seen")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> ResultChanges:
    """Final results changed after the cursor, oldest change first (optionally per period).

    An objection that changes a result moves it to a new, higher sequence, so a nightly
    job that stores `next_cursor` fetches exactly what is new since its last run.
    """
    return await service.result_changes(
        session, actor=identity, after=after, period_id=period_id, limit=limit
    )
