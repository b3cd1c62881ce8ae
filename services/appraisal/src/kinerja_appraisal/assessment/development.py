"""Development plans opened by a predikat of Butuh Perbaikan or lower (local policy)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.assessment import repository
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import development_plan_due_on
from kinerja_appraisal.models import Assessment, DevelopmentPlan
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.appraisal import DevelopmentPlanOpened
from kinerja_shared.law.predikat import PredikatPegawai
from kinerja_shared.outbox import Outbox

TRAININGS = {
    "komunikasi": "Pelatihan komunikasi efektif",
    "pelayanan publik": "Pelatihan pelayanan publik prima",
}


async def open_if_needed(
    session: AsyncSession,
    *,
    outbox: Outbox,
    settings: AppraisalSettings,
    actor: Identity | str,
    assessment: Assessment,
    predikat: PredikatPegawai,
    now: datetime,
) -> DevelopmentPlan | None:
    """Open a development plan when the predikat calls for one and none is open yet.

    It is due `development_plan_due_days` after the WITA date of `now` (docs/domain.md,
    "Awards and development plans").
    """
    if not settings.policy.needs_development_plan(predikat):
        return None
    existing = await repository.development_plan_id_of(session, assessment_id=assessment.id)
    if existing is not None:
        return None
    due_on = development_plan_due_on(now, settings.development_plan_due_days)
    areas = list(settings.development_plan_areas)
    plan = DevelopmentPlan(
        employee_id=assessment.employee_id,
        assessment_id=assessment.id,
        predikat=predikat,
        areas=areas,
        trainings=[
            {
                "area": area,
                "training": TRAININGS.get(area, f"Pelatihan {area}"),
                "due_on": due_on.isoformat(),
            }
            for area in areas
        ],
        due_on=due_on,
    )
    session.add(plan)
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="development_plan.opened",
        entity_type="development_plan",
        entity_id=plan.id,
        assessment_id=assessment.id,
        before=None,
        after=as_dict(plan),
        outbox=outbox,
        event=DevelopmentPlanOpened(
            plan_id=plan.id,
            employee_id=assessment.employee_id,
            unit_id=assessment.unit_id,
            assessment_id=assessment.id,
            predikat=predikat.value,
            areas=areas,
            due_on=due_on,
        ),
    )
    return plan
