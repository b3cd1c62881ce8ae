"""HTTP routes of realisations, feedback notes and citizen feedback summaries."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_appraisal.dependencies import Now
from kinerja_appraisal.execution import service
from kinerja_appraisal.execution.schemas import (
    CitizenFeedbackPublic,
    FeedbackNoteIn,
    FeedbackNotePublic,
    RealisationIn,
    RealisationPublic,
)
from kinerja_shared.app import SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import problem_responses

router = APIRouter(tags=["execution"], responses=problem_responses(401, 403, 404, 409, 422))


@router.put("/realisations", response_model=RealisationPublic)
async def record_realisation(
    data: RealisationIn, session: SessionDep, identity: CurrentIdentity, now: Now
) -> RealisationPublic:
    """Record the caller's realisation of an indicator for a period, with evidence."""
    row = await service.record_realisation(session, actor=identity, data=data, now=now)
    return RealisationPublic.model_validate(row, from_attributes=True)


@router.get("/realisations", response_model=Page[RealisationPublic])
async def list_realisations(
    employee_id: str,
    session: SessionDep,
    identity: CurrentIdentity,
    paging: Paging,
    period_id: str | None = None,
) -> Page[RealisationPublic]:
    """An employee's realisations (self, supervisor, reviewer, BKPSDM)."""
    rows, total = await service.read_realisations(
        session, actor=identity, page=paging, employee_id=employee_id, period_id=period_id
    )
    return Page(
        items=[RealisationPublic.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post(
    "/employees/{employee_id}/feedback-notes",
    status_code=201,
    response_model=FeedbackNotePublic,
)
async def add_feedback_note(
    employee_id: str, data: FeedbackNoteIn, session: SessionDep, identity: CurrentIdentity
) -> FeedbackNotePublic:
    """Write a continuous-feedback note to a direct subordinate."""
    note = await service.add_feedback_note(
        session, actor=identity, employee_id=employee_id, data=data
    )
    return FeedbackNotePublic.model_validate(note, from_attributes=True)


@router.get("/employees/{employee_id}/feedback-notes", response_model=Page[FeedbackNotePublic])
async def list_feedback_notes(
    employee_id: str,
    session: SessionDep,
    identity: CurrentIdentity,
    paging: Paging,
    period_id: str | None = None,
) -> Page[FeedbackNotePublic]:
    """An employee's feedback notes."""
    rows, total = await service.read_feedback_notes(
        session, actor=identity, page=paging, employee_id=employee_id, period_id=period_id
    )
    return Page(
        items=[FeedbackNotePublic.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/employees/{employee_id}/citizen-feedback", response_model=list[CitizenFeedbackPublic])
async def list_citizen_feedback(
    employee_id: str,
    session: SessionDep,
    identity: CurrentIdentity,
    period_key: str | None = None,
) -> list[CitizenFeedbackPublic]:
    """The citizen feedback summaries of an employee, as published by the reporting service."""
    rows = await service.read_citizen_feedback(
        session, actor=identity, employee_id=employee_id, period_key=period_key
    )
    return [CitizenFeedbackPublic.model_validate(r, from_attributes=True) for r in rows]
