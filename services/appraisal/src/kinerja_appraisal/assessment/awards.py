"""Award candidates (local policy): Sangat Baik in the latest annual periods."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.domain import AssessmentState, Predikat
from kinerja_appraisal.models import Assessment, Period
from kinerja_appraisal.settings import AppraisalSettings


async def award_candidates(
    session: AsyncSession, *, settings: AppraisalSettings, year: int
) -> list[str]:
    """Employees whose final annual predikat was Sangat Baik in `year` and the years before."""
    years = settings.policy.award_required_years
    rows = (
        await session.execute(
            select(Assessment.employee_id, Period.year, Assessment.final_predikat)
            .join(Period, col(Period.id) == col(Assessment.period_id))
            .where(
                Period.kind == "annual",
                col(Period.year) > year - years,
                col(Period.year) <= year,
                Assessment.state != AssessmentState.DRAFT,
            )
        )
    ).all()
    by_employee: dict[str, dict[int, Predikat]] = defaultdict(dict)
    for employee_id, period_year, predikat in rows:
        if predikat:
            by_employee[employee_id][period_year] = Predikat(predikat)
    return sorted(
        employee_id
        for employee_id, results in by_employee.items()
        if settings.policy.is_award_candidate(
            [results.get(y) for y in range(year, year - years, -1)]
        )
    )
