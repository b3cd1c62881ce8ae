"""Local policies of the appraisal service (configurable, with the documented defaults).

Where the regulation is silent, Kinerja makes a choice; every such choice is a setting
here, never a buried constant. The objection window is law (PP 30/2019, 14 days) and is a
setting only so a change in regulation needs no code change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from fractions import Fraction

from pydantic import BaseModel, ConfigDict, Field, field_validator

from kinerja_appraisal.domain.predikat import DEFAULT_SMALL_PART
from kinerja_appraisal.domain.states import OBJECTION_WINDOW_DAYS, WITA
from kinerja_shared import awards
from kinerja_shared.awards import DEFAULT_AWARD_CONSECUTIVE_YEARS as DEFAULT_AWARD_YEARS
from kinerja_shared.law.kurva import CurveRounding
from kinerja_shared.law.predikat import PredikatPegawai

#: Units with fewer employees may be finalised by BKPSDM against the curve, with reasons.
DEFAULT_SMALL_UNIT_THRESHOLD = 4

#: Days the appraiser has to give their statement on an objection before the reviewer may
#: decide without it (docs/domain.md, "Objections").
DEFAULT_OBJECTION_STATEMENT_DAYS = 7

#: The best predikat that still opens a development plan (it and everything lower do).
DEFAULT_DEVELOPMENT_THRESHOLD = PredikatPegawai.BUTUH_PERBAIKAN


def is_award_candidate(
    annual_predikats_latest_first: Sequence[PredikatPegawai | None],
    required: int = DEFAULT_AWARD_YEARS,
) -> bool:
    """Tell whether the latest `required` consecutive years' annual predikat are Sangat Baik.

    Pass one entry per calendar year, latest first, with None for a year in which the
    employee has no annual predikat; the definition is shared (`kinerja_shared.awards`).
    """
    return awards.is_award_candidate(
        [None if item is None else item.value for item in annual_predikats_latest_first],
        required,
    )


def development_plan_due_on(finalised_at: datetime, due_days: int) -> date:
    """The due date of a development plan: `due_days` after the WITA date of finalisation."""
    return finalised_at.astimezone(WITA).date() + timedelta(days=due_days)


def needs_development_plan(
    predikat: PredikatPegawai, threshold: PredikatPegawai = DEFAULT_DEVELOPMENT_THRESHOLD
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
        description="Consecutive calendar years, up to the year asked, with an annual"
        " Sangat Baik for an award (kinerja_shared.awards).",
    )
    objection_statement_days: int = Field(
        default=DEFAULT_OBJECTION_STATEMENT_DAYS,
        ge=1,
        description="Days after an objection is filed in which the appraiser gives their"
        " statement; until then the reviewer cannot decide without it.",
    )
    kurva_rounding: CurveRounding = Field(
        default=CurveRounding.EXACT,
        description="How a curve percentage becomes employees: exact ('at most' rounds down,"
        " 'at least' rounds up) or nearest (a half up).",
    )
    kurva_small_unit_threshold: int = Field(
        default=DEFAULT_SMALL_UNIT_THRESHOLD,
        ge=0,
        description="Units with fewer employees may be finalised by BKPSDM against the curve,"
        " with reasons (as may any unit whose curve cannot be kept).",
    )
    development_plan_threshold: PredikatPegawai = Field(
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

    def is_award_candidate(
        self, annual_predikats_latest_first: Sequence[PredikatPegawai | None]
    ) -> bool:
        """Tell whether the employee is an award candidate under this policy."""
        return is_award_candidate(annual_predikats_latest_first, self.award_required_years)

    def needs_development_plan(self, predikat: PredikatPegawai) -> bool:
        """Tell whether `predikat` opens a development plan under this policy."""
        return needs_development_plan(predikat, self.development_plan_threshold)
