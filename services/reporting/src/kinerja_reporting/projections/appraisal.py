"""Appraisal results as events describe them: final assessments, objection decisions and the
organisation predikat."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.projections import repository
from kinerja_shared.events.types.appraisal import (
    AssessmentFinalized,
    ObjectionDecided,
    OrganisationPredikatSet,
)


async def record_assessment(session: AsyncSession, *, payload: AssessmentFinalized) -> None:
    """Store a final assessment; a decision on an objection seen earlier keeps its predikat."""
    details = {
        "employee_id": payload.employee_id,
        "unit_id": payload.unit_id,
        "appraiser_id": payload.appraiser_id,
        "period_key": payload.period_key,
        "period_kind": payload.period_kind,
        "predikat": payload.predikat,
        "finalized": True,
    }
    if await repository.objection_of(session, payload.assessment_id) is not None:
        await repository.update_assessment(session, payload.assessment_id, details)
        return
    details |= {
        "hasil": payload.hasil,
        "perilaku": payload.perilaku,
        "final_predikat": payload.predikat,
    }
    await repository.save_assessment(session, {"assessment_id": payload.assessment_id, **details})


async def record_objection_decision(session: AsyncSession, *, payload: ObjectionDecided) -> None:
    """Apply the final predikat of an objection decision (final, whatever order events came)."""
    await repository.insert_assessment_if_missing(
        session,
        {
            "assessment_id": payload.assessment_id,
            "employee_id": payload.employee_id,
            "unit_id": payload.unit_id,
            "period_key": payload.period_key,
            "predikat": payload.original_predikat,
            "final_predikat": payload.final_predikat,
        },
    )
    await repository.update_assessment(
        session,
        payload.assessment_id,
        {
            "final_predikat": payload.final_predikat,
            "hasil": payload.final_hasil,
            "perilaku": payload.final_perilaku,
            "objection": payload.decision,
        },
    )


async def record_organisation_predikat(
    session: AsyncSession, *, payload: OrganisationPredikatSet
) -> None:
    """Keep the organisation predikat of a unit and period."""
    await repository.save_organisation_predikat(
        session,
        {
            "unit_id": payload.unit_id,
            "period_key": payload.period_key,
            "predikat": payload.predikat,
        },
    )
