"""Finalising a unit's period: complete, within the kurva, then immutable with snapshots."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment import repository
from kinerja_appraisal.assessment.development import open_if_needed
from kinerja_appraisal.assessment.distribution import all_counts, record_exception, violation_dict
from kinerja_appraisal.assessment.rating import unit_head_hasil
from kinerja_appraisal.assessment.schemas import CurveExceptionPublic, UnitFinalisation
from kinerja_appraisal.assessment.snapshot import take_snapshot
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.domain import (
    AssessmentAction,
    AssessmentState,
    PeriodState,
    Rating,
    next_assessment_state,
    predikat_for,
)
from kinerja_appraisal.models import Assessment, AssessmentVersion, Period
from kinerja_appraisal.organisation import repository as organisation_repository
from kinerja_appraisal.organisation.service import get_unit
from kinerja_appraisal.periods.service import get_period, organisation_predikat
from kinerja_appraisal.results.repository import take_numbers
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.auth import Identity
from kinerja_shared.events.types import appraisal as events
from kinerja_shared.law.kurva import (
    CurveViolation,
    check_distribution,
    impossibility,
    override_allowed,
)
from kinerja_shared.law.predikat import PredikatOrganisasi, PredikatPegawai, PredikatPegawaiValue
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, FieldError


def finalized_event(assessment: Assessment, period: Period) -> events.AssessmentFinalized:
    """The `assessment.finalized` event of a final assessment."""
    assert assessment.finalized_at is not None
    return events.AssessmentFinalized(
        assessment_id=assessment.id,
        employee_id=assessment.employee_id,
        unit_id=assessment.unit_id,
        appraiser_id=assessment.appraiser_id,
        period_id=period.id,
        period_key=period.key,
        period_kind=cast(events.PeriodKind, period.kind),
        hasil=cast(events.Rating, assessment.hasil),
        perilaku=cast(events.Rating, assessment.perilaku),
        predikat=cast(PredikatPegawaiValue, assessment.predikat),
        finalized_at=assessment.finalized_at,
    )


async def finalise_unit(
    session: AsyncSession,
    *,
    outbox: Outbox,
    settings: AppraisalSettings,
    actor: Identity,
    period_id: str,
    unit_id: str,
    now: datetime,
    override_reason: str | None = None,
) -> UnitFinalisation:
    """Check completeness and the kurva, then finalise every assessment of the unit.

    A distribution that breaks the kurva is refused, unless BKPSDM overrides it with
    `override_reason` where the rules allow (`_check_override`).
    """
    period = await get_period(session, period_id=period_id)
    unit = await get_unit(session, unit_id=unit_id)
    access.require_finaliser(actor, unit)
    if period.state != PeriodState.ASSESSMENT:
        raise Conflict(f"a unit is finalised in the assessment phase; the period is {period.state}")
    org = await organisation_predikat(session, unit_id=unit.id, period_id=period.id)
    if org is None:
        raise Conflict("BKPSDM has not set the unit's organisation predikat for this period")
    assessments = list(
        await repository.unit_assessments(session, unit_id=unit.id, period_id=period.id)
    )
    if any(a.state != AssessmentState.DRAFT for a in assessments):
        raise Conflict("the unit's assessments for this period are already final")
    assessed = {a.employee_id for a in assessments}
    staff = await organisation_repository.active_staff_ids(session, unit_id=unit.id)
    missing = sorted(set(staff) - assessed)
    if missing or not assessments:
        raise Conflict(
            f"{len(missing)} employee(s) of the unit have no assessment for this period",
            extra={"unassessed_employee_ids": missing},
        )
    unit_hasil = unit_head_hasil(org.predikat, settings.unit_head_hasil_mapping)
    for assessment in assessments:
        if assessment.is_unit_head:
            # The organisation predikat may have changed since the draft was written.
            assessment.hasil = unit_hasil
            assessment.predikat = predikat_for(unit_hasil, Rating(assessment.perilaku))
    counts = Counter(PredikatPegawai(a.predikat) for a in assessments)
    organisation = PredikatOrganisasi(org.predikat)
    violations = check_distribution(organisation, counts, settings.policy.kurva_rounding)
    _check_override(actor, settings, organisation, counts, violations, override_reason)
    numbers = await take_numbers(session, len(assessments))
    plans = 0
    for assessment, number in zip(assessments, numbers, strict=True):
        assessment.snapshot = await take_snapshot(
            session, assessment=assessment, period=period, organisation_predikat=org.predikat
        )
        assessment.state = next_assessment_state(
            AssessmentState(assessment.state), AssessmentAction.FINALIZE
        )
        assessment.finalized_at = assessment.updated_at = now
        assessment.final_hasil, assessment.final_perilaku = assessment.hasil, assessment.perilaku
        assessment.final_predikat = assessment.predikat
        assessment.change_seq = number
        session.add(
            AssessmentVersion(
                assessment_id=assessment.id,
                version=1,
                hasil=assessment.hasil,
                perilaku=assessment.perilaku,
                predikat=assessment.predikat,
                reason="finalised by the appraiser",
                decided_by=assessment.appraiser_id,
            )
        )
        await record_change(
            session,
            actor=actor,
            action="assessment.finalized",
            entity_type="assessment",
            entity_id=assessment.id,
            assessment_id=assessment.id,
            before={"state": AssessmentState.DRAFT.value},
            after={
                "state": assessment.state,
                "hasil": assessment.hasil,
                "perilaku": assessment.perilaku,
                "predikat": assessment.predikat,
                "change_seq": number,
            },
            outbox=outbox,
            event=finalized_event(assessment, period),
        )
        plan = await open_if_needed(
            session,
            outbox=outbox,
            settings=settings,
            actor=actor,
            assessment=assessment,
            predikat=PredikatPegawai(assessment.predikat),
            now=now,
        )
        plans += plan is not None
    exceptions = []
    if violations and override_reason is not None:
        exceptions.append(
            await record_exception(
                session,
                outbox=outbox,
                settings=settings,
                actor=actor,
                period=period,
                unit_id=unit.id,
                organisation=organisation,
                kind="bkpsdm_override",
                employees=len(assessments),
                violations=violations,
                reason=override_reason,
                now=now,
            )
        )
    return UnitFinalisation(
        unit_id=unit.id,
        period_id=period.id,
        organisation_predikat=org.predikat,
        counts=all_counts(counts),
        finalized=len(assessments),
        development_plans=plans,
        curve_exceptions=[
            CurveExceptionPublic.model_validate(row, from_attributes=True) for row in exceptions
        ],
    )


def _check_override(
    actor: Identity,
    settings: AppraisalSettings,
    organisation: PredikatOrganisasi,
    counts: Counter[PredikatPegawai],
    violations: list[CurveViolation],
    override_reason: str | None,
) -> None:
    """Refuse a distribution that breaks the kurva unless BKPSDM overrides it where allowed.

    docs/domain.md, "Distribution curve": BKPSDM may finalise against the curve, with a
    reason, when the curve cannot be kept for the unit's size or the unit is small.
    """
    total = sum(counts.values())
    rounding = settings.policy.kurva_rounding
    allowed = override_allowed(
        organisation,
        total,
        rounding=rounding,
        small_unit_threshold=settings.policy.kurva_small_unit_threshold,
    )
    if override_reason is not None:
        access.require_curve_overrider(actor)
        if not violations:
            raise Conflict(
                "the distribution keeps the kurva: there is nothing to override",
                field="body.curve_override_reason",
            )
        if allowed:
            return
    if not violations:
        return
    why = impossibility(organisation, total, rounding)
    if override_reason is not None:
        detail = (
            f"the kurva can be kept by a unit of {total} employees, which is not smaller"
            f" than {settings.policy.kurva_small_unit_threshold}: change the predikat"
            " instead of overriding"
        )
        field = "body.curve_override_reason"
    else:
        detail = (
            f"the distribution of predikat breaks the kurva for organisation predikat"
            f" {organisation.value}: " + " ".join(v.message for v in violations)
        )
        if why:
            detail += f" {why[0].upper()}{why[1:]}."
        if allowed:
            detail += " BKPSDM may finalise it anyway with curve_override_reason."
        field = None
    raise Conflict(
        detail,
        errors=[
            *([FieldError(field=field, detail=detail)] if field else []),
            *(FieldError(field=f"kurva.{v.code}", detail=v.message) for v in violations),
        ],
        extra={
            "organisation_predikat": organisation.value,
            "counts": all_counts(counts),
            "violations": [violation_dict(v) for v in violations],
            "curve_possible": why is None,
            "impossibility": why,
            "override_allowed": allowed,
        },
    )
