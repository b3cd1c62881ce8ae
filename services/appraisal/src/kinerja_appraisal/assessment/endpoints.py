"""HTTP routes of assessments, unit finalisation, history and development plans."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from kinerja_appraisal.assessment import service
from kinerja_appraisal.assessment.awards import award_candidates
from kinerja_appraisal.assessment.distribution import unit_distribution as distribution_of
from kinerja_appraisal.assessment.finalisation import finalise_unit
from kinerja_appraisal.assessment.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    AssessmentRatings,
    AuditEntryPublic,
    DevelopmentPlanPublic,
    FinalizeIn,
    UnitDistribution,
    UnitFinalisation,
    VersionPublic,
)
from kinerja_appraisal.dependencies import Now, SettingsDep
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.law.predikat import PredikatPegawai
from kinerja_shared.pagination import Page, Paging
from kinerja_shared.problems import problem_responses
from kinerja_shared.query import Year

router = APIRouter(tags=["assessment"], responses=problem_responses(401, 403, 404, 409, 422))


@router.post("/assessments", status_code=201, response_model=AssessmentPublic)
async def create_assessment(
    data: AssessmentCreate, session: SessionDep, identity: CurrentIdentity, settings: SettingsDep
) -> AssessmentPublic:
    """Rate a direct subordinate for a period (draft); the predikat follows the matrix."""
    assessment = await service.create_assessment(
        session, actor=identity, settings=settings, data=data
    )
    return await service.public(session, assessment, settings)


@router.get("/assessments", response_model=Page[AssessmentPublic])
async def list_assessments(
    session: SessionDep,
    identity: CurrentIdentity,
    settings: SettingsDep,
    paging: Paging,
    period_id: str | None = None,
    unit_id: str | None = None,
    employee_id: str | None = None,
    state: str | None = None,
) -> Page[AssessmentPublic]:
    """Assessments the caller may see (own, given, or all for BKPSDM and analysts)."""
    rows, total = await service.list_assessments(
        session,
        actor=identity,
        period_id=period_id,
        unit_id=unit_id,
        employee_id=employee_id,
        state=state,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(
        items=[await service.public(session, row, settings) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/assessments/{assessment_id}", response_model=AssessmentPublic)
async def read_assessment(
    assessment_id: str, session: SessionDep, identity: CurrentIdentity, settings: SettingsDep
) -> AssessmentPublic:
    """One assessment, with the citizen feedback summary next to the behaviour ratings."""
    assessment = await service.read_assessment(session, actor=identity, assessment_id=assessment_id)
    return await service.public(session, assessment, settings)


@router.put("/assessments/{assessment_id}", response_model=AssessmentPublic)
async def update_assessment(
    assessment_id: str,
    data: AssessmentRatings,
    session: SessionDep,
    identity: CurrentIdentity,
    settings: SettingsDep,
    now: Now,
) -> AssessmentPublic:
    """Change a draft's ratings; a final assessment is immutable (409)."""
    assessment = await service.update_assessment(
        session,
        actor=identity,
        settings=settings,
        assessment_id=assessment_id,
        data=data,
        now=now,
    )
    return await service.public(session, assessment, settings)


@router.post("/assessments/{assessment_id}/acknowledge", response_model=AssessmentPublic)
async def acknowledge_assessment(
    assessment_id: str,
    session: SessionDep,
    identity: CurrentIdentity,
    settings: SettingsDep,
    now: Now,
) -> AssessmentPublic:
    """The employee acknowledges their final result."""
    assessment = await service.acknowledge(
        session, actor=identity, assessment_id=assessment_id, now=now
    )
    return await service.public(session, assessment, settings)


@router.get("/assessments/{assessment_id}/history", response_model=list[AuditEntryPublic])
async def assessment_history(
    assessment_id: str, session: SessionDep, identity: CurrentIdentity
) -> list[AuditEntryPublic]:
    """Every change to the assessment and its objection: who, when, before and after."""
    rows = await service.assessment_history(session, actor=identity, assessment_id=assessment_id)
    return [AuditEntryPublic.model_validate(r, from_attributes=True) for r in rows]


@router.get("/assessments/{assessment_id}/versions", response_model=list[VersionPublic])
async def assessment_versions(
    assessment_id: str, session: SessionDep, identity: CurrentIdentity
) -> list[VersionPublic]:
    """The versions of a final result: the original and, after an objection, the change."""
    rows = await service.assessment_versions(session, actor=identity, assessment_id=assessment_id)
    return [VersionPublic.model_validate(r, from_attributes=True) for r in rows]


@router.post(
    "/periods/{period_id}/units/{unit_id}/finalize",
    response_model=UnitFinalisation,
)
async def finalize_unit(
    period_id: str,
    unit_id: str,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
    settings: SettingsDep,
    now: Now,
    data: Annotated[FinalizeIn | None, Body()] = None,
) -> UnitFinalisation:
    """Finalise a unit's period (BKPSDM or the unit head): refused while the kurva breaks,
    unless BKPSDM overrides a curve the unit cannot keep (or a small unit's), with a reason."""
    return await finalise_unit(
        session,
        outbox=runtime.outbox,
        settings=settings,
        actor=identity,
        period_id=period_id,
        unit_id=unit_id,
        now=now,
        override_reason=data.curve_override_reason if data else None,
    )


@router.get("/periods/{period_id}/units/{unit_id}/distribution", response_model=UnitDistribution)
async def unit_distribution(
    period_id: str,
    unit_id: str,
    session: SessionDep,
    identity: CurrentIdentity,
    settings: SettingsDep,
) -> UnitDistribution:
    """The unit's predikat against its kurva, with every recorded exception (BKPSDM,
    analysts, the unit head)."""
    return await distribution_of(
        session, actor=identity, settings=settings, period_id=period_id, unit_id=unit_id
    )


@router.get("/employees/{employee_id}/annual-proposal")
async def annual_proposal(
    employee_id: str, year: Year, session: SessionDep, identity: CurrentIdentity
) -> dict[str, PredikatPegawai | None]:
    """The annual predikat proposed from the final periodic ones (local policy)."""
    return {
        "proposed_predikat": await service.read_annual_proposal(
            session, actor=identity, employee_id=employee_id, year=year
        )
    }


@router.get("/award-candidates")
async def list_award_candidates(
    year: Year, session: SessionDep, identity: CurrentIdentity, settings: SettingsDep
) -> dict[str, list[str]]:
    """Employees with Sangat Baik in the latest annual periods up to `year` (BKPSDM, analysts)."""
    return {
        "employee_ids": await award_candidates(
            session, actor=identity, settings=settings, year=year
        )
    }


@router.get("/development-plans", response_model=Page[DevelopmentPlanPublic])
async def list_development_plans(
    employee_id: str, session: SessionDep, identity: CurrentIdentity, paging: Paging
) -> Page[DevelopmentPlanPublic]:
    """An employee's development plans."""
    rows, total = await service.list_development_plans(
        session, actor=identity, employee_id=employee_id, page=paging
    )
    return Page(
        items=[DevelopmentPlanPublic.model_validate(r, from_attributes=True) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
