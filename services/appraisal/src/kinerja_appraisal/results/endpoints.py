"""The pull API: final results changed since a cursor, for systems without Kafka."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlmodel import col, select

from kinerja_appraisal.assessment.service import aware
from kinerja_appraisal.models import Assessment, Employee, Period
from kinerja_appraisal.results.schemas import ResultChange, ResultChanges
from kinerja_shared.app import SessionDep
from kinerja_shared.auth import CurrentIdentity, Role
from kinerja_shared.problems import NotPermitted, problem_responses
from kinerja_shared.query import MAX_INTEGER

router = APIRouter(tags=["results"], responses=problem_responses(401, 403, 422))

READ_SCOPE = "appraisal:read"


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
    allowed = identity.has_role(Role.BKPSDM_ADMIN, Role.ANALYST) or (
        identity.has_role(Role.EXTERNAL_SYSTEM) and identity.has_scope(READ_SCOPE)
    )
    if not allowed:
        raise NotPermitted(f"needs BKPSDM, analyst, or an external system with {READ_SCOPE}")
    query = (
        select(Assessment, Employee.staff_code, Period.key)
        .join(Employee, col(Employee.id) == col(Assessment.employee_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .where(col(Assessment.change_seq) > after)
    )
    if period_id:
        query = query.where(Assessment.period_id == period_id)
    rows = (
        await session.execute(query.order_by(col(Assessment.change_seq)).limit(limit + 1))
    ).all()
    items = [
        ResultChange(
            sequence=int(a.change_seq or 0),
            assessment_id=a.id,
            employee_id=a.employee_id,
            staff_code=staff_code,
            unit_id=a.unit_id,
            period_id=a.period_id,
            period_key=key,
            state=a.state,
            hasil=a.final_hasil or a.hasil,
            perilaku=a.final_perilaku or a.perilaku,
            predikat=a.final_predikat or a.predikat,
            changed_by_objection=(a.final_predikat or a.predikat) != a.predikat
            or (a.final_hasil or a.hasil) != a.hasil,
            finalized_at=aware(a.finalized_at) or a.updated_at,
        )
        for a, staff_code, key in rows[:limit]
    ]
    return ResultChanges(
        items=items,
        next_cursor=items[-1].sequence if items else after,
        has_more=len(rows) > limit,
    )
