"""Use cases of the performance views."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.access import (
    readable_units,
    reads_history_without_unit,
    require_employee_history,
    require_unit,
)
from kinerja_reporting.directory.repository import staff_codes, unit_of_employee
from kinerja_reporting.directory.tree_cache import load_tree
from kinerja_reporting.ikm.service import period_of
from kinerja_reporting.performance import repository
from kinerja_reporting.performance.schemas import (
    ConstraintPublic,
    DistributionPublic,
    EmployeeFlag,
    EmployeeHistory,
    HistoryEntry,
)
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.auth import Identity
from kinerja_shared.awards import award_years, is_award_candidate_in
from kinerja_shared.law.kurva import ConstraintKind, distribution_report
from kinerja_shared.law.predikat import PredikatOrganisasi, PredikatPegawai, count_predikat


async def distribution(
    session: AsyncSession, *, identity: Identity, unit_id: str, period_key: str
) -> DistributionPublic:
    """Employees per predikat in a unit, checked against the curve of its org predikat."""
    period = period_of(period_key)
    require_unit(identity, await load_tree(session), unit_id)
    counts = count_predikat(
        {
            PredikatPegawai(k): v
            for k, v in (await repository.predikat_counts(session, unit_id, period.key)).items()
        }
    )
    organisation = await repository.organisation_predikat(session, unit_id, period.key)
    constraints: list[ConstraintPublic] = []
    passed = None
    if organisation is not None:
        report = distribution_report(PredikatOrganisasi(organisation), counts)
        passed = report.passed
        constraints = [
            ConstraintPublic(
                description=s.constraint.description,
                count=s.count,
                total=s.total,
                share_percent=s.share_percent,
                limit_count=s.limit,
                passed=s.passed,
                employees_off=s.employees_off,
                explanation=s.explanation,
            )
            for s in report.statuses
            # the "the rest ..." lines of Kurang and Sangat Kurang always hold: not listed
            if s.constraint.kind is not ConstraintKind.REST_ONLY
        ]
    return DistributionPublic(
        unit_id=unit_id,
        period_key=period.key,
        organisation_predikat=organisation,
        counts={p.value: counts[p] for p in PredikatPegawai},
        total=sum(counts.values()),
        passed=passed,
        constraints=constraints,
    )


async def employee_history(
    session: AsyncSession, *, identity: Identity, employee_id: str
) -> EmployeeHistory:
    """An employee's final assessments (the employee, their unit head, or readers).

    The employee's unit and the unit tree are read only when the caller's right depends on
    them (a unit head); the employee and readers of everything get one statement.
    """
    rows = await repository.history(session, employee_id)
    if not reads_history_without_unit(identity, employee_id):
        unit_id = await unit_of_employee(session, employee_id)
        unit_id = unit_id or (rows[-1].unit_id if rows else None)
        require_employee_history(identity, await load_tree(session), employee_id, unit_id)
    return EmployeeHistory(
        employee_id=employee_id,
        entries=[
            HistoryEntry.model_validate(dict(r._mapping), from_attributes=False) for r in rows
        ],
    )


async def award_candidates(
    session: AsyncSession, *, identity: Identity, settings: ReportingSettings
) -> list[EmployeeFlag]:
    """Award candidates of the latest year with an annual period (kinerja_shared.awards).

    docs/domain.md, "Awards and development plans": Sangat Baik in the annual appraisal of
    that year and of the years just before it, `award_consecutive_annual_periods` in a row.
    """
    allowed = readable_units(identity, await load_tree(session))
    needed = settings.award_consecutive_annual_periods
    known = await repository.annual_period_keys(session)
    if not known:
        return []
    years = award_years(int(known[0]), needed)
    keys = [str(year) for year in years]
    rows = await repository.assessments(session, period_keys=keys, unit_ids=allowed)
    by_employee: dict[str, dict[int, str | None]] = {}
    units: dict[str, str] = {}
    for r in rows:
        by_employee.setdefault(r.employee_id, {})[int(r.period_key)] = r.final_predikat
        units[r.employee_id] = r.unit_id
    chosen = [
        e for e, found in by_employee.items() if is_award_candidate_in(found, years[0], needed)
    ]
    codes = await staff_codes(session, chosen)
    return [
        EmployeeFlag(
            employee_id=e,
            staff_code=codes.get(e),
            unit_id=units[e],
            period_keys=sorted(keys),
            predikat=[PredikatPegawai.SANGAT_BAIK.value] * len(keys),
        )
        for e in sorted(chosen)
    ]


async def development_needs(
    session: AsyncSession, *, identity: Identity, settings: ReportingSettings, period_key: str
) -> list[EmployeeFlag]:
    """Employees whose final predikat in the period opens a development plan (local policy)."""
    period = period_of(period_key)
    allowed = readable_units(identity, await load_tree(session))
    rows = await repository.assessments(session, period_keys=[period.key], unit_ids=allowed)
    chosen = [r for r in rows if r.final_predikat in settings.development_predikat]
    codes = await staff_codes(session, [r.employee_id for r in chosen])
    return [
        EmployeeFlag(
            employee_id=r.employee_id,
            staff_code=codes.get(r.employee_id),
            unit_id=r.unit_id,
            period_keys=[r.period_key],
            predikat=[r.final_predikat],
        )
        for r in chosen
    ]
