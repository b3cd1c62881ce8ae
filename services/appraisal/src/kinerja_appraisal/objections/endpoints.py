"""HTTP routes of objections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from kinerja_appraisal.dependencies import Now, SettingsDep
from kinerja_appraisal.objections import service
from kinerja_appraisal.objections.schemas import (
    DecisionIn,
    ObjectionIn,
    ObjectionPublic,
    StatementIn,
)
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import problem_responses

router = APIRouter(tags=["objections"], responses=problem_responses(401, 403, 404, 409, 422))


def _public(row: object) -> ObjectionPublic:
    return ObjectionPublic.model_validate(row, from_attributes=True)


@router.post(
    "/assessments/{assessment_id}/objections", status_code=201, response_model=ObjectionPublic
)
async def file_objection(
    assessment_id: str,
    data: ObjectionIn,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
    settings: SettingsDep,
    now: Now,
) -> ObjectionPublic:
    """Object to one's final assessment within 14 days; the appraiser's supervisor reviews."""
    objection = await service.file_objection(
        session,
        outbox=runtime.outbox,
        settings=settings,
        actor=identity,
        assessment_id=assessment_id,
        reasons=data.reasons,
        now=now,
    )
    return _public(objection)


@router.get("/objections", response_model=Page[ObjectionPublic])
async def list_objections(
    session: SessionDep,
    identity: CurrentIdentity,
    paging: Paging,
    state: str | None = None,
    employee_id: Annotated[
        str | None, Query(max_length=64, description="Only the objections this employee filed")
    ] = None,
) -> Page[ObjectionPublic]:
    """Objections the caller filed or reviews (optionally one employee's)."""
    rows, total = await service.list_objections(
        session, actor=identity, page=paging, state=state, employee_id=employee_id
    )
    return Page(
        items=[_public(row) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/objections/{objection_id}", response_model=ObjectionPublic)
async def read_objection(
    objection_id: str, session: SessionDep, identity: CurrentIdentity
) -> ObjectionPublic:
    """One objection."""
    objection = await service.read_objection(session, actor=identity, objection_id=objection_id)
    return _public(objection)


@router.post("/objections/{objection_id}/statement", response_model=ObjectionPublic)
async def add_statement(
    objection_id: str,
    data: StatementIn,
    session: SessionDep,
    identity: CurrentIdentity,
    now: Now,
) -> ObjectionPublic:
    """The appraiser's side of the story, heard by the reviewer before deciding."""
    objection = await service.add_statement(
        session, actor=identity, objection_id=objection_id, statement=data.statement, now=now
    )
    return _public(objection)


@router.post("/objections/{objection_id}/decide", response_model=ObjectionPublic)
async def decide_objection(
    objection_id: str,
    data: DecisionIn,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
    settings: SettingsDep,
    now: Now,
) -> ObjectionPublic:
    """The reviewer upholds or changes the result, with reasons; the decision is final."""
    objection = await service.decide(
        session,
        outbox=runtime.outbox,
        settings=settings,
        actor=identity,
        objection_id=objection_id,
        data=data,
        now=now,
    )
    return _public(objection)
