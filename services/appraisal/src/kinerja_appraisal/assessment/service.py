"""Use cases of assessments: rate, edit, read, acknowledge; history, versions, development
plans and the annual proposal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment import repository
from kinerja_appraisal.assessment.rating import proposed_hasil, rate, unit_head_hasil
from kinerja_appraisal.assessment.schemas import (
    AssessmentCreate,
    AssessmentPublic,
    AssessmentRatings,
)
from kinerja_appraisal.audit.service import history, record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import (
    AssessmentAction,
    AssessmentState,
    PeriodState,
    next_assessment_state,
    objection_deadline,
    propose_annual_predikat,
)
from kinerja_appraisal.execution.schemas import CitizenFeedbackPublic
from kinerja_appraisal.execution.service import summary_for
from kinerja_appraisal.models import (
    Assessment,
    AssessmentVersion,
    AuditEntry,
    DevelopmentPlan,
    Employee,
    Period,
    Unit,
)
from kinerja_appraisal.organisation.service import get_employee, readable_employee, supervisor_of
from kinerja_appraisal.periods.service import get_period, organisation_predikat
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_appraisal.skp.service import approved_plan, items_of
from kinerja_shared.auth import Identity
from kinerja_shared.law.predikat import PredikatPegawai
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound

R = TypeVar("R", bound=AssessmentRatings)


def aware(moment: datetime | None) -> datetime | None:
    """Stored times are UTC; SQLite returns them naive."""
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def get_assessment(session: AsyncSession, *, assessment_id: str) -> Assessment:
    """An assessment by id (404 when unknown)."""
    assessment = await session.get(Assessment, assessment_id)
    if assessment is None:
        raise ResourceNotFound(f"assessment {assessment_id!r} does not exist")
    return assessment


async def require_read(session: AsyncSession, actor: Identity, assessment: Assessment) -> None:
    """Self, appraiser, reviewer, BKPSDM and analysts may read an assessment."""
    employee = await get_employee(session, employee_id=assessment.employee_id)
    if access.is_appraiser(actor, assessment.appraiser_id):
        return
    access.require_reader(actor, employee, await supervisor_of(session, employee))


async def read_assessment(
    session: AsyncSession, *, actor: Identity, assessment_id: str
) -> Assessment:
    """An assessment, for its appraiser and whoever may read the employee's records."""
    assessment = await get_assessment(session, assessment_id=assessment_id)
    await require_read(session, actor, assessment)
    return assessment


async def assessment_history(
    session: AsyncSession, *, actor: Identity, assessment_id: str
) -> Sequence[AuditEntry]:
    """Every change to the assessment and its objection."""
    assessment = await read_assessment(session, actor=actor, assessment_id=assessment_id)
    return await history(session, entity_id=assessment.id)


async def assessment_versions(
    session: AsyncSession, *, actor: Identity, assessment_id: str
) -> Sequence[AssessmentVersion]:
    """The versions of a final result: the original and, after an objection, the change."""
    assessment = await read_assessment(session, actor=actor, assessment_id=assessment_id)
    return await repository.versions_of(session, assessment_id=assessment.id)


async def read_annual_proposal(
    session: AsyncSession, *, actor: Identity, employee_id: str, year: int
) -> PredikatPegawai | None:
    """The annual predikat proposed for an employee, for those who may read their records."""
    await readable_employee(session, actor=actor, employee_id=employee_id)
    return await annual_proposal(session, employee_id=employee_id, year=year, field="query.year")


async def list_development_plans(
    session: AsyncSession, *, actor: Identity, employee_id: str, page: PageParams
) -> tuple[Sequence[DevelopmentPlan], int]:
    """An employee's development plans, for those who may read their records."""
    await readable_employee(session, actor=actor, employee_id=employee_id)
    return await repository.development_plans_page(session, employee_id=employee_id, page=page)


async def unit_hasil_for(
    session: AsyncSession, settings: AppraisalSettings, employee: Employee, period: Period
) -> Any:
    """The unit's result when the employee heads their unit (else None)."""
    unit = await session.get(Unit, employee.unit_id)
    if unit is None or unit.head_employee_id != employee.id:
        return None
    org = await organisation_predikat(session, unit_id=unit.id, period_id=period.id)
    if org is None:
        raise Conflict(
            "this employee heads the unit: BKPSDM must set the unit's organisation predikat"
            " for the period first (it gives the head's Hasil Kerja)"
        )
    return unit_head_hasil(org.predikat, settings.unit_head_hasil_mapping)


async def annual_proposal(
    session: AsyncSession, *, employee_id: str, year: int, field: str = "body.period_id"
) -> PredikatPegawai | None:
    """The annual predikat proposed from the final periodic ones (local policy).

    docs/domain.md, "Annual appraisal": a year's periods are one series, monthly or
    quarterly; a year holding final results of both (possible only in data from before
    creation refused mixing) has no proposal: a 409 naming the periods of each series.
    """
    rows = await repository.final_periodic_results(session, employee_id=employee_id, year=year)
    kinds = {kind: sorted(key for *_, k, key in rows if k == kind) for *_, kind, _ in rows}
    if len(kinds) > 1:
        raise Conflict(
            f"{year} has final results in both monthly and quarterly periods; the annual"
            " predikat is proposed from one series, so BKPSDM must settle which applies",
            field=field,
            extra={"periods_by_kind": kinds},
        )
    periodic = [(starts_on, PredikatPegawai(value)) for starts_on, value, *_ in rows if value]
    return propose_annual_predikat(periodic) if periodic else None


def confirm_annual(
    proposed: PredikatPegawai | None, predikat: PredikatPegawai, note: str | None
) -> None:
    """The appraiser confirms the proposed annual predikat, or explains a different one."""
    if proposed is not None and predikat != proposed and not (note or "").strip():
        raise InvalidInput(
            f"the ratings give {predikat.label} but the periodic results propose"
            f" {proposed.label}; confirm the proposal or explain the difference in hasil_note",
            field="body.hasil_note",
        )


async def with_proposed_hasil(
    session: AsyncSession,
    settings: AppraisalSettings,
    employee: Employee,
    period: Period,
    data: R,
) -> R:
    """Fill in `hasil` proposed from `rhk_ratings` when the appraiser gave only those."""
    if data.rhk_ratings is None:
        return data
    plan = await approved_plan(session, employee_id=employee.id, year=period.year)
    if plan is None:
        raise InvalidInput(
            f"rating RHK needs an approved SKP for {period.year}", field="body.rhk_ratings"
        )
    kinds = {rhk.id: rhk.kind for rhk, _ in await items_of(session, plan.id)}
    proposal = proposed_hasil(data.rhk_ratings, kinds, settings.policy.hasil_small_part)
    if data.hasil is not None:
        return data
    return data.model_copy(update={"hasil": proposal})


async def create_assessment(
    session: AsyncSession,
    *,
    actor: Identity,
    settings: AppraisalSettings,
    data: AssessmentCreate,
) -> Assessment:
    """The direct supervisor rates a subordinate for a period (a draft until finalised)."""
    employee = await get_employee(session, employee_id=data.employee_id, field="body.employee_id")
    access.require_direct_supervisor(actor, employee)
    period = await get_period(session, period_id=data.period_id, field="body.period_id")
    if period.state != PeriodState.ASSESSMENT:
        raise Conflict(
            f"assessments are given in the assessment phase; the period is {period.state}",
            field="body.period_id",
        )
    taken = await repository.assessment_id_of(session, employee_id=employee.id, period_id=period.id)
    if taken is not None:
        raise Conflict("this employee is already assessed for the period; edit that assessment")
    unit_hasil = await unit_hasil_for(session, settings, employee, period)
    if unit_hasil is None:
        data = await with_proposed_hasil(session, settings, employee, period, data)
    rated = rate(data, unit_hasil=unit_hasil)
    proposed = (
        await annual_proposal(session, employee_id=employee.id, year=period.year)
        if period.kind == "annual"
        else None
    )
    confirm_annual(proposed, rated.predikat, data.hasil_note)
    assessment = Assessment(
        employee_id=employee.id,
        period_id=period.id,
        unit_id=employee.unit_id,
        appraiser_id=str(actor.employee_id),
        state=AssessmentState.DRAFT,
        is_unit_head=unit_hasil is not None,
        hasil=rated.hasil,
        hasil_note=data.hasil_note,
        perilaku=rated.perilaku,
        perilaku_values=rated.perilaku_values,
        rhk_ratings={k: v.value for k, v in (data.rhk_ratings or {}).items()} or None,
        predikat=rated.predikat,
        proposed_predikat=proposed,
    )
    session.add(assessment)
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="assessment.created",
        entity_type="assessment",
        entity_id=assessment.id,
        assessment_id=assessment.id,
        before=None,
        after=as_dict(assessment),
    )
    return assessment


def _transition(assessment: Assessment, action: AssessmentAction) -> AssessmentState:
    return next_assessment_state(AssessmentState(assessment.state), action)


async def update_assessment(
    session: AsyncSession,
    *,
    actor: Identity,
    settings: AppraisalSettings,
    assessment_id: str,
    data: AssessmentRatings,
    now: datetime,
) -> Assessment:
    """Change the ratings of a draft; a final assessment is immutable (409)."""
    assessment = await get_assessment(session, assessment_id=assessment_id)
    employee = await get_employee(session, employee_id=assessment.employee_id)
    access.require_direct_supervisor(actor, employee)
    _transition(assessment, AssessmentAction.EDIT)
    period = await get_period(session, period_id=assessment.period_id)
    before = as_dict(assessment)
    unit_hasil = await unit_hasil_for(session, settings, employee, period)
    if unit_hasil is None:
        data = await with_proposed_hasil(session, settings, employee, period, data)
    rated = rate(data, unit_hasil=unit_hasil)
    if period.kind == "annual":
        assessment.proposed_predikat = await annual_proposal(
            session, employee_id=employee.id, year=period.year
        )
        confirm_annual(
            PredikatPegawai(assessment.proposed_predikat) if assessment.proposed_predikat else None,
            rated.predikat,
            data.hasil_note,
        )
    assessment.hasil, assessment.perilaku = rated.hasil, rated.perilaku
    assessment.perilaku_values, assessment.predikat = rated.perilaku_values, rated.predikat
    assessment.hasil_note, assessment.is_unit_head = data.hasil_note, unit_hasil is not None
    assessment.rhk_ratings = {k: v.value for k, v in (data.rhk_ratings or {}).items()} or None
    assessment.appraiser_id = str(actor.employee_id)
    assessment.updated_at = now
    await record_change(
        session,
        actor=actor,
        action="assessment.edited",
        entity_type="assessment",
        entity_id=assessment.id,
        assessment_id=assessment.id,
        before=before,
        after=as_dict(assessment),
    )
    return assessment


async def acknowledge(
    session: AsyncSession, *, actor: Identity, assessment_id: str, now: datetime
) -> Assessment:
    """The employee acknowledges their final result."""
    assessment = await get_assessment(session, assessment_id=assessment_id)
    employee = await get_employee(session, employee_id=assessment.employee_id)
    access.require_self(actor, employee)
    before = {"state": assessment.state}
    assessment.state = _transition(assessment, AssessmentAction.ACKNOWLEDGE)
    assessment.acknowledged_at = now
    await record_change(
        session,
        actor=actor,
        action="assessment.acknowledged",
        entity_type="assessment",
        entity_id=assessment.id,
        assessment_id=assessment.id,
        before=before,
        after={"state": assessment.state},
    )
    return assessment


async def public(
    session: AsyncSession, assessment: Assessment, settings: AppraisalSettings
) -> AssessmentPublic:
    """The API view, with the citizen feedback summary of the employee and period."""
    period = await get_period(session, period_id=assessment.period_id)
    summary = await summary_for(session, employee_id=assessment.employee_id, period_key=period.key)
    finalized_at = aware(assessment.finalized_at)
    return AssessmentPublic(
        id=assessment.id,
        employee_id=assessment.employee_id,
        period_id=assessment.period_id,
        period_key=period.key,
        unit_id=assessment.unit_id,
        appraiser_id=assessment.appraiser_id,
        state=assessment.state,
        is_unit_head=assessment.is_unit_head,
        hasil=assessment.hasil,
        hasil_note=assessment.hasil_note,
        rhk_ratings=assessment.rhk_ratings,
        perilaku=assessment.perilaku,
        perilaku_values=assessment.perilaku_values,
        predikat=assessment.predikat,
        proposed_predikat=assessment.proposed_predikat,
        final_hasil=assessment.final_hasil,
        final_perilaku=assessment.final_perilaku,
        final_predikat=assessment.final_predikat,
        citizen_feedback=(
            CitizenFeedbackPublic.model_validate(summary, from_attributes=True) if summary else None
        ),
        finalized_at=finalized_at,
        acknowledged_at=aware(assessment.acknowledged_at),
        objection_deadline=(
            objection_deadline(finalized_at, settings.policy.objection_window_days)
            if finalized_at
            else None
        ),
        snapshot=assessment.snapshot,
    )


async def list_assessments(
    session: AsyncSession,
    *,
    actor: Identity,
    period_id: str | None,
    unit_id: str | None,
    employee_id: str | None,
    state: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Assessment], int]:
    """Assessments the caller may see, filtered; BKPSDM and analysts see all."""
    visible_to = None
    if not actor.has_role(*access.READ_ALL_ROLES):
        if actor.employee_id is None:
            raise InvalidInput("this listing needs an employee token or a BKPSDM role")
        visible_to = actor.employee_id
    return await repository.assessments_page(
        session,
        visible_to=visible_to,
        period_id=period_id,
        unit_id=unit_id,
        employee_id=employee_id,
        state=state,
        limit=limit,
        offset=offset,
    )
