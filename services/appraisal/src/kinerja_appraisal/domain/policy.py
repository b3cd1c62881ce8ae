"""Local policies of the appraisal service (configurable, with the documented defaults).

Where the regulation is silent, Kinerja makes a choice; every such choice is a setting
here, never a buried constant. The objection window is law (PP 30/2019, 14 days) and is a
setting only so a change in regulation needs no code change.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kinerja_appraisal.domain.predikat import DEFAULT_SMALL_PART, Predikat
from kinerja_appraisal.domain.states import OBJECTION_WINDOW_DAYS

#: Consecutive latest annual periods with Sangat Baik that make an award candidate.
DEFAULT_AWARD_YEARS = 2

#: The best predikat that still opens a development plan (it and everything lower do).
DEFAULT_DEVELOPMENT_THRESHOLD = Predikat.BUTUH_PERBAIKAN


def is_award_candidate(
    annual_predikats_latest_first: Sequence[Predikat | None],
    required: int = DEFAULT_AWARD_YEARS,
) -> bool:
    """Tell whether the latest `required` annual predikat are all Sangat Baik.

    Pass one entry per annual period, latest first, with None for a period in which the
    employee has no annual predikat; fewer than `required` periods is not enough.
    """
    if required < 1:
        raise ValueError(f"required must be at least 1, got {required}")
    latest = annual_predikats_latest_first[:required]
    return len(latest) == required and all(item is Predikat.SANGAT_BAIK for item in latest)


def needs_development_plan(
    predikat: Predikat, threshold: Predikat = DEFAULT_DEVELOPMENT_THRESHOLD
) -> bool:
    """Tell whether `predikat` opens a development plan: `threshold` (Butuh Perbaikan) or lower.

    Lower follows the regulation's order: Butuh Perbaikan, Kurang/Misconduct, Sangat Kurang.
    """
    return predikat.rank <= threshold.rank


class AppraisalPolicy(BaseModel):
    """The appraisal service's configurable local policies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    objection_window_days: int = Field(
        default=OBJECTION_WINDOW_DAYS,
        ge=1,
        description="Calendar days after finalisation in which an objection may be filed.",
    )
    award_required_years: int = Field(
        default=DEFAULT_AWARD_YEARS,
        ge=1,
        description="Latest consecutive annual periods with Sangat Baik for an award.",
    )
    development_plan_threshold: Predikat = Field(
        default=DEFAULT_DEVELOPMENT_THRESHOLD,
        description="This predikat and any lower one open a development plan.",
    )
    hasil_small_part: Fraction = Field(
        default=DEFAULT_SMALL_PART,
        description=(
            "Largest share of main results that may be below expectation in a proposed"
            " Sesuai Ekspektasi Hasil Kerja rating."
        ),
    )

    @field_validator("hasil_small_part")
    @classmethod
    def _small_part_is_a_proper_fraction(cls, value: Fraction) -> Fraction:
        """Refuse a "small part" outside [0, 1)."""
        if not 0 <= value < 1:
            raise ValueError("hasil_small_part must be at least 0 and below 1")
        return value

    def is_award_candidate(self, annual_predikats_latest_first: Sequence[Predikat | None]) -> bool:
        """Tell whether the employee is an award candidate under this policy."""
        return is_award_candidate(annual_predikats_latest_first, self.award_required_years)

    def needs_development_plan(self, predikat: Predikat) -> bool:
        """Tell whether `predikat` opens a development plan under this policy."""
        return needs_development_plan(predikat, self.development_plan_threshold)
