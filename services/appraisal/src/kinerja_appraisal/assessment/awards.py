"""Award candidates (local policy, docs/domain.md "Awards and development plans")."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment import repository
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.auth import Identity
from kinerja_shared.awards import award_years, is_award_candidate_in


async def award_candidates(
    session: AsyncSession, *, actor: Identity, settings: AppraisalSettings, year: int
) -> list[str]:
    """Employees whose final annual predikat was Sangat Baik in `year` and the years before
    (BKPSDM, analysts)."""
    access.require_award_reader(actor)
    required = settings.policy.award_required_years
    years = award_years(year, required)
    rows = await repository.final_annual_results(session, years=years)
    by_employee: dict[str, dict[int, str | None]] = defaultdict(dict)
    for employee_id, period_year, predikat in rows:
        by_employee[employee_id][period_year] = predikat
    return sorted(
        employee_id
        for employee_id, results in by_employee.items()
        if is_award_candidate_in(results, year, required)
    )
