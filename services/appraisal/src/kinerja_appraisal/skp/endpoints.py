"""HTTP routes of SKP plans."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_appraisal.dependencies import Now
from kinerja_appraisal.skp import service
from kinerja_appraisal.skp.schemas import SkpCreate, SkpPublic, SkpReturn, SkpUpdate
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import problem_responses
from kinerja_shared.query import OptionalYear

router = APIRouter(tags=["skp"], responses=problem_responses(401, 403, 404, 409, 422))


@router.post("/skps", status_code=201, response_model=SkpPublic)
async def create_skp(data: SkpCreate, session: SessionDep, identity: CurrentIdentity) -> SkpPublic:
    """Start the caller's SKP plan for a year (draft, version 1)."""
    skp = await service.create_skp(session, actor=identity, data=data)
    return await service.public(session, skp)


@router.get("/skps", response_model=Page[SkpPublic])
async def list_skps(
    employee_id: str,
    session: SessionDep,
    identity: CurrentIdentity,
    paging: Paging,
    year: OptionalYear = None,
) -> Page[SkpPublic]:
    """Every version of an employee's plans (self, supervisor, reviewer, BKPSDM)."""
    rows, total = await service.list_skps(
        session, actor=identity, page=paging, employee_id=employee_id, year=year
    )
    return Page(
        items=[await service.public(session, row) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/skps/{skp_id}", response_model=SkpPublic)
async def read_skp(skp_id: str, session: SessionDep, identity: CurrentIdentity) -> SkpPublic:
    """One version of a plan."""
    skp = await service.read_skp(session, actor=identity, skp_id=skp_id)
    return await service.public(session, skp)


@router.put("/skps/{skp_id}", response_model=SkpPublic)
async def update_skp(
    skp_id: str, data: SkpUpdate, session: SessionDep, identity: CurrentIdentity
) -> SkpPublic:
    """Replace the items of the caller's draft or returned plan."""
    skp = await service.update_skp(session, actor=identity, skp_id=skp_id, items=data.rhk)
    return await service.public(session, skp)


@router.post("/skps/{skp_id}/submit", response_model=SkpPublic)
async def submit_skp(
    skp_id: str, session: SessionDep, identity: CurrentIdentity, now: Now
) -> SkpPublic:
    """Submit the caller's plan to their supervisor."""
    skp = await service.submit_skp(session, actor=identity, skp_id=skp_id, now=now)
    return await service.public(session, skp)


@router.post("/skps/{skp_id}/approve", response_model=SkpPublic)
async def approve_skp(
    skp_id: str, session: SessionDep, runtime: Runtime, identity: CurrentIdentity, now: Now
) -> SkpPublic:
    """Approve a subordinate's submitted plan (direct supervisor); `skp.approved`."""
    skp = await service.approve_skp(
        session, outbox=runtime.outbox, actor=identity, skp_id=skp_id, now=now
    )
    return await service.public(session, skp)


@router.post("/skps/{skp_id}/return", response_model=SkpPublic)
async def return_skp(
    skp_id: str, data: SkpReturn, session: SessionDep, identity: CurrentIdentity
) -> SkpPublic:
    """Return a subordinate's submitted plan with comments (direct supervisor)."""
    skp = await service.return_skp(session, actor=identity, skp_id=skp_id, comments=data.comments)
    return await service.public(session, skp)


@router.post("/skps/{skp_id}/revise", status_code=201, response_model=SkpPublic)
async def revise_skp(skp_id: str, session: SessionDep, identity: CurrentIdentity) -> SkpPublic:
    """Change the caller's approved plan: a new draft version that needs approval again."""
    skp = await service.revise_skp(session, actor=identity, skp_id=skp_id)
    return await service.public(session, skp)
