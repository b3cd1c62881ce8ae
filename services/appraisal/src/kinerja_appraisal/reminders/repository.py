"""SQL of the deadline reminders: what may be due, and the record of what was sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_appraisal.domain.reminders import (
    DraftAssessment,
    EmployeePlan,
    FinalResult,
    OpenPeriod,
)
from kinerja_appraisal.domain.states import AssessmentState, PeriodState, SkpState
from kinerja_appraisal.models import Assessment, Employee, Objection, Period, Skp


async def open_periods_ending(session: AsyncSession, first: date, last: date) -> list[OpenPeriod]:
    """Planned or running periods whose last day lies from `first` to `last`."""
    rows = await session.execute(
        select(col(Period.id), col(Period.key), col(Period.year), col(Period.ends_on)).where(
            col(Period.state).in_([PeriodState.PLANNING, PeriodState.RUNNING]),
            col(Period.ends_on) >= first,
            col(Period.ends_on) <= last,
        )
    )
    return [OpenPeriod(id_, key, year, ends_on) for id_, key, year, ends_on in rows]


async def employee_plans(session: AsyncSession, years: set[int]) -> list[EmployeePlan]:
    """Every active employee with where their SKP of each year stands (latest version, and
    whether any version was approved)."""
    if not years:
        return []
    employees = (
        await session.execute(
            select(col(Employee.id), col(Employee.unit_id), col(Employee.supervisor_id)).where(
                col(Employee.active).is_(True)
            )
        )
    ).all()
    plans = await session.execute(
        select(col(Skp.employee_id), col(Skp.year), col(Skp.version), col(Skp.id), col(Skp.state))
        .where(col(Skp.year).in_(years))
        .order_by(col(Skp.version))
    )
    latest: dict[tuple[str, int], tuple[str | None, SkpState | None]] = {}
    approved: set[tuple[str, int]] = set()
    for employee_id, year, _version, skp_id, skp_state in plans:
        latest[(employee_id, year)] = (skp_id, SkpState(skp_state))
        if skp_state == SkpState.APPROVED:
            approved.add((employee_id, year))
    result = []
    for employee_id, unit_id, supervisor_id in employees:
        for year in sorted(years):
            latest_id, latest_state = latest.get((employee_id, year)) or (None, None)
            result.append(
                EmployeePlan(
                    employee_id=employee_id,
                    unit_id=unit_id,
                    supervisor_id=supervisor_id,
                    year=year,
                    skp_id=latest_id,
                    state=latest_state,
                    approved=(employee_id, year) in approved,
                )
            )
    return result


async def draft_assessments_of_periods_ending(
    session: AsyncSession, first: date, last: date
) -> list[DraftAssessment]:
    """Draft assessments of periods not closed whose last day lies from `first` to `last`."""
    rows = await session.execute(
        select(
            col(Assessment.id),
            col(Assessment.employee_id),
            col(Assessment.appraiser_id),
            col(Assessment.unit_id),
            col(Period.id),
            col(Period.key),
            col(Period.ends_on),
        )
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .where(
            col(Assessment.state) == AssessmentState.DRAFT,
            col(Period.state) != PeriodState.CLOSED,
            col(Period.ends_on) >= first,
            col(Period.ends_on) <= last,
        )
    )
    return [
        DraftAssessment(
            assessment_id=row[0],
            employee_id=row[1],
            appraiser_id=row[2],
            unit_id=row[3],
            period_id=row[4],
            period_key=row[5],
            period_ends_on=row[6],
            state=AssessmentState.DRAFT,
        )
        for row in rows
    ]


async def unacknowledged_results_since(session: AsyncSession, since: datetime) -> list[FinalResult]:
    """Final assessments finalised from `since` on that are neither acknowledged nor objected
    to."""
    rows = await session.execute(
        select(
            col(Assessment.id),
            col(Assessment.employee_id),
            col(Assessment.unit_id),
            col(Period.id),
            col(Period.key),
            col(Assessment.finalized_at),
        )
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .outerjoin(Objection, col(Objection.assessment_id) == col(Assessment.id))
        .where(
            col(Assessment.state) == AssessmentState.FINALIZED,
            col(Assessment.finalized_at) >= since,
            col(Assessment.finalized_at).is_not(None),
            col(Objection.id).is_(None),
        )
    )
    return [
        FinalResult(
            assessment_id=row[0],
            employee_id=row[1],
            unit_id=row[2],
            period_id=row[3],
            period_key=row[4],
            finalized_at=row[5] or since,  # never None: the query asks for it
            state=AssessmentState.FINALIZED,
            objected=False,
        )
        for row in rows
    ]
