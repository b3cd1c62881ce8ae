"""A unit's distribution against the kurva, and the reasoned exceptions to it.

docs/domain.md, "Distribution curve": a final distribution may break the curve only by an
objection's final decision or by a BKPSDM override; each is recorded with the constraints
broken, by how many employees, and the reason, and announced as `curve_exception.recorded`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.assessment.schemas import CurveExceptionPublic, UnitDistribution
from kinerja_appraisal.audit.service import record
from kinerja_appraisal.domain import (
    AssessmentState,
    CurveViolation,
    OrganisationPredikat,
    Predikat,
    check_distribution,
    curve_is_possible,
    impossibility,
    override_allowed,
)
from kinerja_appraisal.models import Assessment, CurveException, Period
from kinerja_appraisal.periods.service import organisation_predikat
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_appraisal.state import as_dict
from kinerja_shared.auth import Identity
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.events.types import appraisal as events
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


def all_counts(counts: Counter[Predikat]) -> dict[str, int]:
    """Every predikat with its number of employees (0 included)."""
    return {p.value: counts.get(p, 0) for p in Predikat}


async def final_counts(session: AsyncSession, *, unit_id: str, period_id: str) -> Counter[Predikat]:
    """The unit's final predikat (after any objection decision) in a finalised period."""
    rows = await session.scalars(
        select(Assessment).where(
            Assessment.unit_id == unit_id,
            Assessment.period_id == period_id,
            Assessment.state != AssessmentState.DRAFT,
        )
    )
    return Counter(Predikat(a.final_predikat or a.predikat) for a in rows)


async def record_exception(
    session: AsyncSession,
    *,
    outbox: Outbox,
    settings: AppraisalSettings,
    actor: Identity,
    period: Period,
    unit_id: str,
    organisation: OrganisationPredikat,
    kind: ExceptionKind,
    employees: int,
    violations: Sequence[CurveViolation],
    reason: str,
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
        recorded_at=utcnow(),
    )
    session.add(row)
    await session.flush()
    await record(
        session,
        actor=actor,
        action=f"kurva.{kind}",
        entity_type="curve_exception",
        entity_id=row.id,
        before=None,
        after=as_dict(row),
    )
    await outbox.add(
        session,
        events.CurveExceptionRecorded(
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
    rows = await session.scalars(
        select(CurveException)
        .where(CurveException.unit_id == unit_id, CurveException.period_id == period_id)
        .order_by(col(CurveException.recorded_at), col(CurveException.id))
    )
    return [CurveExceptionPublic.model_validate(r, from_attributes=True) for r in rows]


async def distribution_report(
    session: AsyncSession, *, settings: AppraisalSettings, period: Period, unit_id: str
) -> UnitDistribution:
    """The unit's predikat against its curve: drafts before finalisation, final ones after."""
    org = await organisation_predikat(session, unit_id=unit_id, period_id=period.id)
    assessments = (
        await session.scalars(
            select(Assessment).where(
                Assessment.unit_id == unit_id, Assessment.period_id == period.id
            )
        )
    ).all()
    finalised = bool(assessments) and all(a.state != AssessmentState.DRAFT for a in assessments)
    counts = Counter(Predikat(a.final_predikat or a.predikat) for a in assessments)
    total = sum(counts.values())
    rounding = settings.policy.kurva_rounding
    organisation = OrganisationPredikat(org.predikat) if org else None
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
