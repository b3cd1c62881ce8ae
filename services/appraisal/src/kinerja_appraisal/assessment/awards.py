"""Award candidates (local policy, docs/domain.md "Awards and development plans")."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.domain import AssessmentState
from kinerja_appraisal.models import Assessment, Period
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.awards import award_years, is_award_candidate_in


async def award_candidates(
    session: AsyncSession, *, settings: AppraisalSettings, year: int
) -> list[str]:
    """Employees whose final annual predikat was Sangat Baik in `year` and the years before."""
    required = settings.policy.award_required_years
    years = award_years(year, required)
    rows = (
        await session.execute(
            select(Assessment.employee_id, Period.year, Assessment.final_predikat)
            .join(Period, col(Period.id) == col(Assessment.period_id))
            .where(
                Period.kind == "annual",
                col(Period.year).in_(years),
                Assessment.state != AssessmentState.DRAFT,
            )
        )
    ).all()
    by_employee: dict[str, dict[int, str | None]] = defaultdict(dict)
    for employee_id, period_year, predikat in rows:
        by_employee[employee_id][period_year] = predikat
    return sorted(
        employee_id
        for employee_id, results in by_employee.items()
        if is_award_candidate_in(results, year, required)
    )
