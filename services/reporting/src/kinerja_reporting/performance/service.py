"""Use cases fed by appraisal results: final assessments, objection decisions, org predikat."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.models import ASSESSMENT, ORGANISATION_PREDIKAT
from kinerja_reporting.storage import insert_missing, upsert
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
    decided = await session.scalar(
        select(ASSESSMENT.c.objection).where(ASSESSMENT.c.assessment_id == payload.assessment_id)
    )
    if decided is not None:
        await session.execute(
            update(ASSESSMENT)
            .where(ASSESSMENT.c.assessment_id == payload.assessment_id)
            .values(details)
        )
        return
    details |= {
        "hasil": payload.hasil,
        "perilaku": payload.perilaku,
        "final_predikat": payload.predikat,
    }
    await upsert(session, ASSESSMENT, {"assessment_id": payload.assessment_id, **details})


async def record_objection_decision(session: AsyncSession, *, payload: ObjectionDecided) -> None:
    """Apply the final predikat of an objection decision (final, whatever order events came)."""
    await insert_missing(
        session,
        ASSESSMENT,
        {
            "assessment_id": payload.assessment_id,
            "employee_id": payload.employee_id,
            "unit_id": payload.unit_id,
            "period_key": payload.period_key,
            "predikat": payload.original_predikat,
            "final_predikat": payload.final_predikat,
        },
    )
    await session.execute(
        update(ASSESSMENT)
        .where(ASSESSMENT.c.assessment_id == payload.assessment_id)
        .values(
            final_predikat=payload.final_predikat,
            hasil=payload.final_hasil,
            perilaku=payload.final_perilaku,
            objection=payload.decision,
        )
    )


async def record_organisation_predikat(
    session: AsyncSession, *, payload: OrganisationPredikatSet
) -> None:
    """Keep the organisation predikat of a unit and period."""
    await upsert(
        session,
        ORGANISATION_PREDIKAT,
        {
            "unit_id": payload.unit_id,
            "period_key": payload.period_key,
            "predikat": payload.predikat,
        },
    )
