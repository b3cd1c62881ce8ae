"""Use cases of the fairness view: domain/fairness.py over assessments and staff summaries.

The unit of an appraiser is every unit of the staff they rated in the period; citizen scores
are the IKM-style index of each staff member's feedback summary for the same period key.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.access import readable_units
from kinerja_reporting.directory.repository import employees_in
from kinerja_reporting.directory.tree_cache import load_tree
from kinerja_reporting.domain.fairness import (
    CitizenScore,
    FairnessReport,
    ShareComparison,
    assess_appraiser,
)
from kinerja_reporting.domain.ikm import compute_ikm
from kinerja_reporting.fairness.schemas import (
    AppraiserFairness,
    FairnessFlagPublic,
    ShareComparisonPublic,
)
from kinerja_reporting.ikm.service import period_of
from kinerja_reporting.performance.repository import assessments
from kinerja_reporting.settings import ReportingSettings
from kinerja_reporting.summaries.repository import staff_rows, staff_totals_of
from kinerja_shared.auth import Identity
from kinerja_shared.law.predikat import PredikatPegawai


def _share(s: ShareComparison) -> ShareComparisonPublic:
    return ShareComparisonPublic(
        appraiser_count=s.appraiser_count,
        appraiser_total=s.appraiser_total,
        appraiser_percent=s.appraiser_percent,
        unit_count=s.unit_count,
        unit_total=s.unit_total,
        unit_percent=s.unit_percent,
        difference_points=s.difference_points,
    )


def _public(
    appraiser_id: str, period_key: str, units: list[str], r: FairnessReport
) -> AppraiserFairness:
    return AppraiserFairness(
        appraiser_id=appraiser_id,
        period_key=period_key,
        unit_ids=units,
        rated_staff=r.rated_staff,
        appraiser_counts={p.value: n for p, n in r.appraiser_counts.items()},
        unit_counts={p.value: n for p, n in r.unit_counts.items()},
        sangat_baik=_share(r.sangat_baik),
        baik_or_better=_share(r.baik_or_better),
        scored_staff=r.scored_staff,
        staff_median=r.staff_median,
        unit_scored_staff=r.unit_scored_staff,
        unit_median=r.unit_median,
        flags=[
            FairnessFlagPublic(
                code=f.code.value,
                explanation=f.explanation,
                rated_staff=f.rated_staff,
                share_percent=f.share_percent,
                threshold_percent=f.threshold_percent,
                scored_staff=f.scored_staff,
                staff_median=f.staff_median,
                unit_scored_staff=f.unit_scored_staff,
                unit_median=f.unit_median,
            )
            for f in r.flags
        ],
    )


async def fairness(
    session: AsyncSession,
    *,
    identity: Identity,
    settings: ReportingSettings,
    period_key: str,
    appraiser_id: str | None = None,
) -> list[AppraiserFairness]:
    """Fairness numbers of every appraiser (or one) in the period, within readable units."""
    period = period_of(period_key)
    allowed = readable_units(identity, await load_tree(session))
    rows = await assessments(session, period_keys=[period.key], unit_ids=allowed)
    by_appraiser: dict[str, dict[str, PredikatPegawai]] = {}
    units_of: dict[str, set[str]] = {}
    for r in rows:
        if r.appraiser_id is None or (appraiser_id is not None and r.appraiser_id != appraiser_id):
            continue
        by_appraiser.setdefault(r.appraiser_id, {})[r.employee_id] = PredikatPegawai(
            r.final_predikat
        )
        units_of.setdefault(r.appraiser_id, set()).add(r.unit_id)
    results: list[AppraiserFairness] = []
    for appraiser, ratings in sorted(by_appraiser.items()):
        units = units_of[appraiser]
        unit_ratings = {
            r.employee_id: PredikatPegawai(r.final_predikat) for r in rows if r.unit_id in units
        }
        staff = set(unit_ratings) | set(await employees_in(session, units))
        summaries, _ = await staff_rows(session, period.key, employee_ids=staff)
        scores: dict[str, CitizenScore] = {}
        for row in summaries:
            totals = staff_totals_of(row)
            index = compute_ikm(totals.elements).ikm
            if index is not None:
                scores[row.employee_id] = CitizenScore(responses=totals.responses, score=index)
        report = assess_appraiser(
            ratings,
            unit_ratings,
            scores,
            generous_share_percent=settings.fairness_generous_share_percent,
            harsh_share_percent=settings.fairness_harsh_share_percent,
            uniform_minimum_staff=settings.fairness_uniform_minimum_staff,
            minimum_responses=settings.minimum_responses,
            minimum_scored_staff=settings.fairness_minimum_scored_staff,
        )
        results.append(_public(appraiser, period.key, sorted(units), report))
    return results
