"""The snapshot a final assessment keeps: plan, realisations, evidence, feedback it used."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.execution.service import feedback_notes, realisations, summary_for
from kinerja_appraisal.models import Assessment, Period
from kinerja_appraisal.skp.service import approved_plan, public


async def take_snapshot(
    session: AsyncSession, *, assessment: Assessment, period: Period, organisation_predikat: str
) -> dict[str, Any]:
    """Everything the assessment was based on, frozen as JSON."""
    plan = await approved_plan(session, employee_id=assessment.employee_id, year=period.year)
    rows = await realisations(
        session, employee_id=assessment.employee_id, period_id=assessment.period_id
    )
    notes = await feedback_notes(
        session, employee_id=assessment.employee_id, period_id=assessment.period_id
    )
    summary = await summary_for(session, employee_id=assessment.employee_id, period_key=period.key)
    return {
        "period": {"id": period.id, "key": period.key, "kind": period.kind},
        "organisation_predikat": organisation_predikat,
        "ratings": {
            "hasil": assessment.hasil,
            "hasil_note": assessment.hasil_note,
            "rhk_ratings": assessment.rhk_ratings,
            "perilaku": assessment.perilaku,
            "perilaku_values": assessment.perilaku_values,
            "predikat": assessment.predikat,
            "is_unit_head": assessment.is_unit_head,
        },
        "plan": (await public(session, plan)).model_dump(mode="json") if plan else None,
        "realisations": [as_dict(row) for row in rows],
        "feedback_notes": [as_dict(note) for note in notes],
        "citizen_feedback": as_dict(summary),
    }
