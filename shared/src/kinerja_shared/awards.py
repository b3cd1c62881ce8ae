"""Award candidates: the one definition every service uses (local policy).

docs/domain.md, "Awards and development plans": an employee is an award candidate for a
year when their final annual predikat was Sangat Baik in that calendar year and in each
of the years just before it, `required` years in a row (default 2). A year without an
annual predikat (no annual appraisal, or none final) breaks the run; so does any other
predikat. Reporting asks for the latest year that has an annual period; appraisal for the
year given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

#: Consecutive calendar years with an annual Sangat Baik that make an award candidate.
DEFAULT_AWARD_CONSECUTIVE_YEARS = 2

#: The annual predikat an award needs (the value events and both services use).
SANGAT_BAIK = "sangat_baik"


def award_years(year: int, required: int = DEFAULT_AWARD_CONSECUTIVE_YEARS) -> list[int]:
    """The calendar years whose annual predikat decide an award for `year`, latest first."""
    if required < 1:
        raise ValueError(f"required must be at least 1, got {required}")
    return list(range(year, year - required, -1))


def is_award_candidate(
    annual_predikats_latest_first: Sequence[str | None],
    required: int = DEFAULT_AWARD_CONSECUTIVE_YEARS,
) -> bool:
    """Tell whether the latest `required` consecutive years' annual predikat are Sangat Baik.

    Pass one entry per calendar year, latest first (see `award_years`), with None for a
    year in which the employee has no final annual predikat; fewer entries are not enough.
    """
    if required < 1:
        raise ValueError(f"required must be at least 1, got {required}")
    latest = annual_predikats_latest_first[:required]
    return len(latest) == required and all(item == SANGAT_BAIK for item in latest)


def is_award_candidate_in(
    annual_predikat_by_year: Mapping[int, str | None],
    year: int,
    required: int = DEFAULT_AWARD_CONSECUTIVE_YEARS,
) -> bool:
    """Tell whether an employee with these annual predikat (by year) is a candidate for `year`."""
    return is_award_candidate(
        [annual_predikat_by_year.get(item) for item in award_years(year, required)], required
    )
