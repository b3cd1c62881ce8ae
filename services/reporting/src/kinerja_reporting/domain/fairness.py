"""Signals on how one appraiser rates, for reporting views; numbers to look at, never a verdict.

For one appraiser and one period this compares:

- the appraiser's predikat distribution with the unit's (the whole unit, the appraiser's
  own staff included): share of Sangat Baik and of Baik-or-better, and the difference in
  percentage points;
- the appraiser's ratings with citizen feedback on the same staff. ``citizen_scores`` holds
  one score per staff member of the unit (callers use one measure for everyone, e.g. the
  IKM-style index of the published feedback summary); only staff with at least
  ``minimum_responses`` responses count on either side.

Flags (each with the numbers behind it and one explanatory sentence):

- ``generous_vs_citizens``: Sangat Baik share >= ``generous_share_percent`` (default 80)
  while the median citizen score of the appraiser's scored staff is below the unit median;
- ``harsh_vs_citizens`` (the mirror): share rated below Baik (Butuh Perbaikan, Kurang,
  Sangat Kurang) >= ``harsh_share_percent`` (default 80) while that median is above the
  unit median;
- ``uniform_ratings``: every rating identical over at least ``uniform_minimum_staff``
  (default 5) rated staff.

Citizen flags need at least ``minimum_scored_staff`` (default 1) scored staff of the
appraiser; shares are compared in exact integer arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from statistics import median

from kinerja_reporting.domain.predikat import BAIK_OR_BETTER, BELOW_BAIK
from kinerja_reporting.domain.rounding import as_percent, round_half_up, share
from kinerja_shared.law.predikat import PredikatPegawai, count_predikat

DEFAULT_GENEROUS_SHARE_PERCENT = 80
DEFAULT_HARSH_SHARE_PERCENT = 80
DEFAULT_UNIFORM_MINIMUM_STAFF = 5
DEFAULT_MINIMUM_RESPONSES = 5
DEFAULT_MINIMUM_SCORED_STAFF = 1


class FairnessFlagCode(StrEnum):
    """Kinds of rating pattern worth a second look."""

    GENEROUS_VS_CITIZENS = "generous_vs_citizens"
    HARSH_VS_CITIZENS = "harsh_vs_citizens"
    UNIFORM_RATINGS = "uniform_ratings"


@dataclass(frozen=True, slots=True)
class CitizenScore:
    """Citizen feedback score of one staff member and the responses behind it."""

    responses: int
    score: Decimal


@dataclass(frozen=True, slots=True)
class ShareComparison:
    """A share among the appraiser's ratings against the same share in the unit."""

    appraiser_count: int
    appraiser_total: int
    unit_count: int
    unit_total: int
    appraiser_share: Fraction
    unit_share: Fraction

    @property
    def appraiser_percent(self) -> Decimal:
        """Appraiser's share in percent, two decimals."""
        return as_percent(self.appraiser_share)

    @property
    def unit_percent(self) -> Decimal:
        """Unit's share in percent, two decimals."""
        return as_percent(self.unit_share)

    @property
    def difference_points(self) -> Decimal:
        """Appraiser minus unit, in percentage points, two decimals (rounded exactly)."""
        return round_half_up((self.appraiser_share - self.unit_share) * 100, 2)


@dataclass(frozen=True, slots=True)
class FairnessFlag:
    """A rating pattern with the numbers behind it and a neutral explanation."""

    code: FairnessFlagCode
    explanation: str
    rated_staff: int
    share_percent: Decimal | None = None
    threshold_percent: int | None = None
    scored_staff: int | None = None
    staff_median: Decimal | None = None
    unit_scored_staff: int | None = None
    unit_median: Decimal | None = None
    predikat: PredikatPegawai | None = None


@dataclass(frozen=True, slots=True)
class FairnessReport:
    """An appraiser's ratings compared with the unit and with citizen feedback."""

    rated_staff: int
    appraiser_counts: Mapping[PredikatPegawai, int]
    unit_counts: Mapping[PredikatPegawai, int]
    sangat_baik: ShareComparison
    baik_or_better: ShareComparison
    scored_staff: int
    staff_median: Decimal | None
    unit_scored_staff: int
    unit_median: Decimal | None
    flags: tuple[FairnessFlag, ...]


def _compare(
    group: frozenset[PredikatPegawai],
    appraiser: Mapping[PredikatPegawai, int],
    unit: Mapping[PredikatPegawai, int],
) -> ShareComparison:
    a_count = sum(appraiser[p] for p in group)
    a_total = sum(appraiser.values())
    u_count = sum(unit[p] for p in group)
    u_total = sum(unit.values())
    return ShareComparison(
        appraiser_count=a_count,
        appraiser_total=a_total,
        unit_count=u_count,
        unit_total=u_total,
        appraiser_share=share(a_count, a_total),
        unit_share=share(u_count, u_total),
    )


def _median(scores: list[Decimal]) -> Decimal | None:
    return median(scores) if scores else None


def assess_appraiser(
    appraiser_ratings: Mapping[str, PredikatPegawai],
    unit_ratings: Mapping[str, PredikatPegawai],
    citizen_scores: Mapping[str, CitizenScore],
    *,
    generous_share_percent: int = DEFAULT_GENEROUS_SHARE_PERCENT,
    harsh_share_percent: int = DEFAULT_HARSH_SHARE_PERCENT,
    uniform_minimum_staff: int = DEFAULT_UNIFORM_MINIMUM_STAFF,
    minimum_responses: int = DEFAULT_MINIMUM_RESPONSES,
    minimum_scored_staff: int = DEFAULT_MINIMUM_SCORED_STAFF,
) -> FairnessReport:
    """Compare one appraiser's ratings (staff id to predikat) with the unit and citizens."""
    appraiser_counts = count_predikat(appraiser_ratings.values())
    unit_counts = count_predikat(unit_ratings.values())
    rated = len(appraiser_ratings)

    enough = {
        staff: s.score for staff, s in citizen_scores.items() if s.responses >= minimum_responses
    }
    staff_scores = [enough[staff] for staff in appraiser_ratings if staff in enough]
    staff_median = _median(staff_scores)
    unit_median = _median(list(enough.values()))

    flags: list[FairnessFlag] = []
    if (
        staff_median is not None
        and unit_median is not None
        and len(staff_scores) >= max(1, minimum_scored_staff)
    ):
        sb = appraiser_counts[PredikatPegawai.SANGAT_BAIK]
        if sb * 100 >= generous_share_percent * rated and staff_median < unit_median:
            percent = as_percent(share(sb, rated))
            flags.append(
                FairnessFlag(
                    code=FairnessFlagCode.GENEROUS_VS_CITIZENS,
                    explanation=(
                        f"{sb} of {rated} rated staff ({percent}%) are Sangat Baik, at or above "
                        f"{generous_share_percent}%, while the median citizen score of "
                        f"{len(staff_scores)} of them is {staff_median}, below the unit "
                        f"median of {unit_median} over {len(enough)} staff."
                    ),
                    rated_staff=rated,
                    share_percent=percent,
                    threshold_percent=generous_share_percent,
                    scored_staff=len(staff_scores),
                    staff_median=staff_median,
                    unit_scored_staff=len(enough),
                    unit_median=unit_median,
                    predikat=PredikatPegawai.SANGAT_BAIK,
                )
            )
        low = sum(appraiser_counts[p] for p in BELOW_BAIK)
        if low * 100 >= harsh_share_percent * rated and staff_median > unit_median:
            percent = as_percent(share(low, rated))
            flags.append(
                FairnessFlag(
                    code=FairnessFlagCode.HARSH_VS_CITIZENS,
                    explanation=(
                        f"{low} of {rated} rated staff ({percent}%) are below Baik, at or above "
                        f"{harsh_share_percent}%, while the median citizen score of "
                        f"{len(staff_scores)} of them is {staff_median}, above the unit "
                        f"median of {unit_median} over {len(enough)} staff."
                    ),
                    rated_staff=rated,
                    share_percent=percent,
                    threshold_percent=harsh_share_percent,
                    scored_staff=len(staff_scores),
                    staff_median=staff_median,
                    unit_scored_staff=len(enough),
                    unit_median=unit_median,
                )
            )
    distinct = set(appraiser_ratings.values())
    if rated >= uniform_minimum_staff and len(distinct) == 1:
        only = PredikatPegawai(next(iter(distinct)))
        flags.append(
            FairnessFlag(
                code=FairnessFlagCode.UNIFORM_RATINGS,
                explanation=(
                    f"All {rated} rated staff received the same predikat, {only.label} "
                    f"(pattern noted from {uniform_minimum_staff} staff)."
                ),
                rated_staff=rated,
                share_percent=Decimal("100.00"),
                predikat=only,
            )
        )
    return FairnessReport(
        rated_staff=rated,
        appraiser_counts=appraiser_counts,
        unit_counts=unit_counts,
        sangat_baik=_compare(
            frozenset({PredikatPegawai.SANGAT_BAIK}), appraiser_counts, unit_counts
        ),
        baik_or_better=_compare(BAIK_OR_BETTER, appraiser_counts, unit_counts),
        scored_staff=len(staff_scores),
        staff_median=staff_median,
        unit_scored_staff=len(enough),
        unit_median=unit_median,
        flags=tuple(flags),
    )
