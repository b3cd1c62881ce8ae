"""HTTP routes of periods and organisation predikat."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from kinerja_appraisal.dependencies import Now
from kinerja_appraisal.domain import PeriodAction
from kinerja_appraisal.periods import service
from kinerja_appraisal.periods.schemas import (
    OrganisationPredikatPublic,
    OrganisationPredikatSet,
    PeriodCreate,
    PeriodKindName,
    PeriodPublic,
)
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import problem_responses
from kinerja_shared.query import OptionalYear

router = APIRouter(tags=["periods"], responses=problem_responses(401, 403, 404, 422))


def _public(period: object) -> PeriodPublic:
    return PeriodPublic.model_validate(period, from_attributes=True)


@router.post(
    "/periods", status_code=201, response_model=PeriodPublic, responses=problem_responses(409)
)
async def create_period(
    data: PeriodCreate, session: SessionDep, identity: CurrentIdentity
) -> PeriodPublic:
    """Plan a period (BKPSDM); overlapping periods of the same kind are refused."""
    return _public(await service.create_period(session, actor=identity, data=data))


@router.get("/periods", response_model=Page[PeriodPublic])
async def list_periods(
    session: SessionDep,
    identity: CurrentIdentity,
    paging: Paging,
    year: OptionalYear = None,
    kind: PeriodKindName | None = None,
    state: str | None = None,
) -> Page[PeriodPublic]:
    """Periods, latest first."""
    rows, total = await service.list_periods(
        session, actor=identity, page=paging, year=year, kind=kind, state=state
    )
    return Page(
        items=[_public(r) for r in rows], total=total, limit=paging.limit, offset=paging.offset
    )


@router.get("/periods/{period_id}", response_model=PeriodPublic)
async def read_period(
    period_id: str, session: SessionDep, identity: CurrentIdentity
) -> PeriodPublic:
    """One period."""
    return _public(await service.read_period(session, actor=identity, period_id=period_id))


async def _advance(
    period_id: str,
    action: PeriodAction,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
    now: datetime,
) -> PeriodPublic:
    period = await service.advance_period(
        session,
        outbox=runtime.outbox,
        actor=identity,
        period_id=period_id,
        action=action,
        now=now,
    )
    return _public(period)


@router.post(
    "/periods/{period_id}/start", response_model=PeriodPublic, responses=problem_responses(409)
)
async def start_period(
    period_id: str, session: SessionDep, runtime: Runtime, identity: CurrentIdentity, now: Now
) -> PeriodPublic:
    """planning → running (BKPSDM); announces `period.opened`."""
    return await _advance(period_id, PeriodAction.START, session, runtime, identity, now)


@router.post(
    "/periods/{period_id}/begin-assessment",
    response_model=PeriodPublic,
    responses=problem_responses(409),
)
async def begin_assessment(
    period_id: str, session: SessionDep, runtime: Runtime, identity: CurrentIdentity, now: Now
) -> PeriodPublic:
    """running → assessment (BKPSDM)."""
    return await _advance(period_id, PeriodAction.BEGIN_ASSESSMENT, session, runtime, identity, now)


@router.post(
    "/periods/{period_id}/close", response_model=PeriodPublic, responses=problem_responses(409)
)
async def close_period(
    period_id: str, session: SessionDep, runtime: Runtime, identity: CurrentIdentity, now: Now
) -> PeriodPublic:
    """assessment → closed (BKPSDM), once no draft assessment is left; `period.closed`."""
    return await _advance(period_id, PeriodAction.CLOSE, session, runtime, identity, now)


@router.put(
    "/periods/{period_id}/units/{unit_id}/organisation-predikat",
    response_model=OrganisationPredikatPublic,
    responses=problem_responses(409),
)
async def set_organisation_predikat(
    period_id: str,
    unit_id: str,
    data: OrganisationPredikatSet,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
    now: Now,
) -> OrganisationPredikatPublic:
    """Set a unit's organisation predikat for the period (BKPSDM); it bounds the kurva."""
    row = await service.set_organisation_predikat(
        session,
        outbox=runtime.outbox,
        actor=identity,
        unit_id=unit_id,
        period_id=period_id,
        predikat=data.predikat,
        now=now,
    )
    return OrganisationPredikatPublic.model_validate(row, from_attributes=True)


@router.get(
    "/periods/{period_id}/organisation-predikat",
    response_model=list[OrganisationPredikatPublic],
)
async def list_organisation_predikat(
    period_id: str, session: SessionDep, identity: CurrentIdentity
) -> list[OrganisationPredikatPublic]:
    """Every unit's organisation predikat in the period."""
    rows = await service.list_organisation_predikat(session, actor=identity, period_id=period_id)
    return [OrganisationPredikatPublic.model_validate(r, from_attributes=True) for r in rows]
