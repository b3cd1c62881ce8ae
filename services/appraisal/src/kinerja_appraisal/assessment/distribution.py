"""A unit's distribution against the kurva, and the reasoned exceptions to it.

docs/domain.md, "Distribution curve": a final distribution may break the curve only by an
objection's final decision or by a BKPSDM override; each is recorded with the constraints
broken, by how many employees, and the reason, and announced as `curve_exception.recorded`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment import repository
from kinerja_appraisal.assessment.schemas import CurveExceptionPublic, UnitDistribution
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import AssessmentState
from kinerja_appraisal.models import CurveException, Period
from kinerja_appraisal.organisation.service import get_unit
from kinerja_appraisal.periods.service import get_period, organisation_predikat
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.auth import Identity
from kinerja_shared.events.types import appraisal as events
from kinerja_shared.law.kurva import (
    CurveViolation,
    check_distribution,
    curve_is_possible,
    impossibility,
    override_allowed,
)
from kinerja_shared.law.predikat import PredikatOrganisasi, PredikatPegawai
from kinerja_shared.outbox import Outbox

ExceptionKind = Literal["objection_decision", "bkpsdm_override"]


def violation_dict(violation: CurveViolation) -> dict[str, Any]:
    """A violation as JSON: code, message, predikat, actual, total, limit, employees_to_change."""
    return {
        "code": violation.code,
        "message": violation.message,
        "predikat": sorted(p.value for p in violation.predikat),
        "actual": violation.actual,
        "total": violation.total,
        "limit": violation.limit,
        "employees_to_change": violation.employees_to_change,
    }


def all_counts(counts: Counter[PredikatPegawai]) -> dict[str, int]:
    """Every predikat with its number of employees (0 included)."""
    return {p.value: counts.get(p, 0) for p in PredikatPegawai}


async def final_counts(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> Counter[PredikatPegawai]:
    """The unit's final predikat (after any objection decision) in a finalised period."""
    rows = await repository.final_unit_assessments(session, unit_id=unit_id, period_id=period_id)
    return Counter(PredikatPegawai(a.final_predikat or a.predikat) for a in rows)


async def record_exception(
    session: AsyncSession,
    *,
    outbox: Outbox,
    settings: AppraisalSettings,
    actor: Identity,
    period: Period,
    unit_id: str,
    organisation: PredikatOrganisasi,
    kind: ExceptionKind,
    employees: int,
    violations: Sequence[CurveViolation],
    reason: str,
    now: datetime,
    objection_id: str | None = None,
) -> CurveException:
    """Record a reasoned exception to the curve: row, audit entry and event."""
    recorded_by = actor.employee_id if kind == "objection_decision" else None
    row = CurveException(
        unit_id=unit_id,
        period_id=period.id,
        kind=kind,
        objection_id=objection_id,
        organisation_predikat=organisation.value,
        employees=employees,
        curve_possible=curve_is_possible(organisation, employees, settings.policy.kurva_rounding),
        violations=[violation_dict(v) for v in violations],
        reason=reason,
        recorded_by=recorded_by or actor.subject,
        recorded_at=now,
    )
    session.add(row)
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action=f"kurva.{kind}",
        entity_type="curve_exception",
        entity_id=row.id,
        before=None,
        after=as_dict(row),
        outbox=outbox,
        event=events.CurveExceptionRecorded(
            exception_id=row.id,
            unit_id=unit_id,
            period_id=period.id,
            period_key=period.key,
            kind=kind,
            objection_id=objection_id,
            organisation_predikat=organisation.value,
            employees=employees,
            curve_possible=row.curve_possible,
            violations=[events.CurveBreach.model_validate(v) for v in row.violations],
            reason=reason,
            # By employee id only: a BKPSDM login name may be personal data (or a NIP).
            recorded_by=actor.employee_id or "bkpsdm",
            recorded_at=row.recorded_at,
        ),
    )
    return row


async def exceptions_of(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> list[CurveExceptionPublic]:
    """The unit's recorded exceptions in the period, oldest first."""
    rows = await repository.curve_exceptions_of(session, unit_id=unit_id, period_id=period_id)
    return [CurveExceptionPublic.model_validate(r, from_attributes=True) for r in rows]


async def unit_distribution(
    session: AsyncSession,
    *,
    actor: Identity,
    settings: AppraisalSettings,
    period_id: str,
    unit_id: str,
) -> UnitDistribution:
    """The unit's distribution report, for BKPSDM, analysts and the unit head."""
    period = await get_period(session, period_id=period_id)
    unit = await get_unit(session, unit_id=unit_id)
    access.require_distribution_reader(actor, unit)
    return await distribution_report(session, settings=settings, period=period, unit_id=unit.id)


async def distribution_report(
    session: AsyncSession, *, settings: AppraisalSettings, period: Period, unit_id: str
) -> UnitDistribution:
    """The unit's predikat against its curve: drafts before finalisation, final ones after."""
    org = await organisation_predikat(session, unit_id=unit_id, period_id=period.id)
    assessments = await repository.unit_assessments(session, unit_id=unit_id, period_id=period.id)
    finalised = bool(assessments) and all(a.state != AssessmentState.DRAFT for a in assessments)
    counts = Counter(PredikatPegawai(a.final_predikat or a.predikat) for a in assessments)
    total = sum(counts.values())
    rounding = settings.policy.kurva_rounding
    organisation = PredikatOrganisasi(org.predikat) if org else None
    violations = check_distribution(organisation, counts, rounding) if organisation else []
    return UnitDistribution(
        unit_id=unit_id,
        period_id=period.id,
        period_key=period.key,
        organisation_predikat=organisation.value if organisation else None,
        finalised=finalised,
        employees=total,
        counts=all_counts(counts),
        violations=[violation_dict(v) for v in violations],
        curve_possible=curve_is_possible(organisation, total, rounding) if organisation else None,
        impossibility=impossibility(organisation, total, rounding) if organisation else None,
        override_allowed=(
            override_allowed(
                organisation,
                total,
                rounding=rounding,
                small_unit_threshold=settings.policy.kurva_small_unit_threshold,
            )
            if organisation
            else None
        ),
        exceptions=await exceptions_of(session, unit_id=unit_id, period_id=period.id),
    )
