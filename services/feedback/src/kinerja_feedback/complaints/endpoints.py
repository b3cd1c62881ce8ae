"""Routes of complaints for the unit's staff."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kinerja_feedback.complaints import service
from kinerja_feedback.complaints.schemas import (
    Assignment,
    ComplaintView,
    ContactView,
    Reclassification,
    ResponseCreate,
    StatusChange,
)
from kinerja_feedback.dependencies import Now, SecretsDep, SettingsDep
from kinerja_feedback.domain.complaint import ComplaintStatus
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/complaints", tags=["complaints"])


@router.get("", summary="Complaints of a unit, with overdue flags")
async def list_complaints(
    identity: CurrentIdentity,
    session: SessionDep,
    now: Now,
    unit_id: Annotated[str | None, Query(max_length=64)] = None,
    status: ComplaintStatus | None = None,
    overdue: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[ComplaintView]:
    """Unit staff see their unit's complaints, bkpsdm_admin any unit's."""
    return await service.list_complaints(
        session,
        identity=identity,
        unit_id=unit_id,
        status=status,
        overdue=overdue,
        limit=limit,
        now=now,
    )


@router.get("/{feedback_id}", summary="One complaint", responses=problem_responses(403, 404))
async def get_complaint(
    feedback_id: str, identity: CurrentIdentity, session: SessionDep, now: Now
) -> ComplaintView:
    """A complaint with its history and deadlines."""
    return await service.get(session, identity=identity, feedback_id=feedback_id, now=now)


@router.post(
    "/{feedback_id}/status",
    summary="Move a complaint through its lifecycle",
    responses=problem_responses(403, 404, 409, 422),
)
async def change_status(
    feedback_id: str,
    change: Annotated[StatusChange, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    settings: SettingsDep,
    now: Now,
) -> ComplaintView:
    """received → verified → in_progress → resolved / rejected; complaint.status_changed.
    Leaving `received` verifies the complaint; it does not count as the first response."""
    return await service.move(
        session,
        runtime.outbox,
        identity=identity,
        feedback_id=feedback_id,
        target=change.status,
        message=change.message,
        settings=settings,
        now=now,
    )


@router.post(
    "/{feedback_id}/category",
    summary="Reclassify a complaint (its deadlines are counted again)",
    responses=problem_responses(403, 404, 409, 422),
)
async def reclassify(
    feedback_id: str,
    change: Annotated[Reclassification, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    settings: SettingsDep,
    now: Now,
) -> ComplaintView:
    """Staff who may handle the complaint change its category, with a reason kept in its
    history; the deadlines follow the new category from the receipt (or the latest
    reopening); complaint.reclassified."""
    return await service.reclassify(
        session,
        runtime.outbox,
        identity=identity,
        feedback_id=feedback_id,
        category=change.category,
        reason=change.reason,
        settings=settings,
        now=now,
    )


@router.post(
    "/{feedback_id}/responses",
    status_code=201,
    summary="Respond to the citizen",
    responses=problem_responses(403, 404, 422),
)
async def add_response(
    feedback_id: str,
    response: Annotated[ResponseCreate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    now: Now,
) -> ComplaintView:
    """A public message in the complaint's history (personal data masked); the first one
    fulfils the duty of the first response."""
    return await service.respond(
        session, identity=identity, feedback_id=feedback_id, message=response.message, now=now
    )


@router.post(
    "/{feedback_id}/assignment",
    summary="Take up a complaint, or hand it to an employee of the unit",
    responses=problem_responses(403, 404, 422),
)
async def assign(
    feedback_id: str,
    assignment: Annotated[Assignment, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    now: Now,
) -> ComplaintView:
    """The handler alone reads the contact; nobody the complaint names (or their supervisors)
    can handle it. Logged."""
    return await service.assign(
        session,
        identity=identity,
        feedback_id=feedback_id,
        employee_id=assignment.employee_id,
        now=now,
    )


@router.get(
    "/{feedback_id}/contact",
    summary="The citizen's contact (logged)",
    responses=problem_responses(403, 404),
)
async def read_contact(
    feedback_id: str, identity: CurrentIdentity, session: SessionDep, secrets: SecretsDep, now: Now
) -> ContactView:
    """Only staff handling the complaint's unit; every read is logged."""
    return await service.read_contact(
        session, secrets, identity=identity, feedback_id=feedback_id, now=now
    )
