"""Appraisal results as events describe them: final assessments, objection decisions and the
organisation predikat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.projections import repository
from kinerja_shared.events.types.appraisal import (
    AssessmentFinalized,
    ObjectionDecided,
    OrganisationPredikatSet,
)


async def record_assessments(
    session: AsyncSession, *, payloads: Sequence[AssessmentFinalized]
) -> None:
    """Store final assessments, in order; a decision on an objection seen earlier keeps its
    predikat (one query for the objections of the whole list, one upsert for the rest)."""
    objected = await repository.assessments_with_objection(
        session, list(dict.fromkeys(p.assessment_id for p in payloads))
    )
    saves: list[dict[str, Any]] = []
    updates: dict[str, dict[str, Any]] = {}
    for payload in payloads:
        details = {
            "employee_id": payload.employee_id,
            "unit_id": payload.unit_id,
            "appraiser_id": payload.appraiser_id,
            "period_key": payload.period_key,
            "period_kind": payload.period_kind,
            "predikat": payload.predikat,
            "finalized": True,
        }
        if payload.assessment_id in objected:
            updates[payload.assessment_id] = details  # the latest finalisation wins
            continue
        details |= {
            "hasil": payload.hasil,
            "perilaku": payload.perilaku,
            "final_predikat": payload.predikat,
        }
        saves.append({"assessment_id": payload.assessment_id, **details})
    await repository.save_assessments(session, saves)
    for assessment_id, details in updates.items():
        await repository.update_assessment(session, assessment_id, details)


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
