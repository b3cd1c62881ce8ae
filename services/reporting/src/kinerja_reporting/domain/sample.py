"""Sample adequacy of a satisfaction survey (Krejcie & Morgan, as PermenPANRB 14/2017 uses).

docs/domain.md, reporting: population and sample adequacy.

S = chi2 * N * P(1-P) / (d^2 (N-1) + chi2 * P(1-P)), with chi2 = 3.841, P = 0.5 and
d = 0.05, computed exactly and rounded to the nearest whole respondent (ROUND_HALF_UP).
N is the number of service users of the unit in the period. When N is unknown (``None``
or 0) the required sample, and therefore adequacy, is unknown: ``Adequacy.adequate`` is
``None`` and ``Adequacy.state`` is ``SampleState.UNKNOWN``. A result without an adequate
sample is still shown, marked as such; this module only says which case applies.

A unit rolled up with its subunits has as N the service users of every unit in it; while a
unit that is surveyed (has a service point or respondents in the period) has not reported
its service users, N and adequacy are unknown (``pooled_population``). Service users are
reported per unit, not per service point, so a service point's sample is not assessable
(``not_assessable``): its result is a breakdown of its unit's survey.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache

from kinerja_reporting.domain.rounding import round_half_up_units

CHI_SQUARE = Decimal("3.841")
PROPORTION = Decimal("0.5")
MARGIN_OF_ERROR = Decimal("0.05")


class SampleState(StrEnum):
    """Whether a survey's respondents are enough for its population."""

    ADEQUATE = "adequate"
    INADEQUATE = "inadequate"
    UNKNOWN = "unknown"
    NOT_ASSESSABLE = "not_assessable"


@dataclass(frozen=True, slots=True)
class Adequacy:
    """Required sample, actual respondents and whether they suffice (``None`` = unknown).

    ``population`` is the N judged against; ``assessable`` is false for a scope without a
    population of its own (a service point).
    """

    required: int | None
    respondents: int
    adequate: bool | None
    population: int | None = None
    assessable: bool = True

    @property
    def state(self) -> SampleState:
        """Adequacy as a state: adequate, inadequate, unknown or not assessable."""
        if not self.assessable:
            return SampleState.NOT_ASSESSABLE
        if self.adequate is None:
            return SampleState.UNKNOWN
        return SampleState.ADEQUATE if self.adequate else SampleState.INADEQUATE


def required_sample(
    population: int,
    *,
    chi_square: Decimal = CHI_SQUARE,
    proportion: Decimal = PROPORTION,
    margin_of_error: Decimal = MARGIN_OF_ERROR,
) -> int:
    """Krejcie & Morgan minimum sample for a population of ``population`` service users."""
    if population <= 0:
        raise ValueError(f"population must be positive, got {population}")
    variance, margin = _terms(chi_square, proportion, margin_of_error)
    # S = v N / (m (N - 1) + v) with v = a/b and m = c/e is a e N / (c b (N - 1) + a e):
    # whole numbers, rounded once.
    a, b = variance.as_integer_ratio()
    c, e = margin.as_integer_ratio()
    return round_half_up_units(a * e * population, c * b * (population - 1) + a * e, 0)


@cache
def _terms(
    chi_square: Decimal, proportion: Decimal, margin_of_error: Decimal
) -> tuple[Fraction, Fraction]:
    """chi2 P (1 - P) and d^2 as exact fractions (computed once per set of parameters)."""
    p = Fraction(proportion)
    d = Fraction(margin_of_error)
    return Fraction(chi_square) * p * (1 - p), d * d


def sample_adequacy(respondents: int, population: int | None) -> Adequacy:
    """Compare the respondents with the required sample; unknown population gives unknown."""
    if respondents < 0:
        raise ValueError(f"respondents must not be negative, got {respondents}")
    if population is None or population == 0:
        return Adequacy(
            required=None, respondents=respondents, adequate=None, population=population
        )
    if population < 0:
        raise ValueError(f"population must not be negative, got {population}")
    required = required_sample(population)
    return Adequacy(
        required=required,
        respondents=respondents,
        adequate=respondents >= required,
        population=population,
    )


def not_assessable(respondents: int) -> Adequacy:
    """Adequacy of a scope without a population of its own (a service point)."""
    if respondents < 0:
        raise ValueError(f"respondents must not be negative, got {respondents}")
    return Adequacy(required=None, respondents=respondents, adequate=None, assessable=False)


def pooled_population(reported_total: int | None, unreported_surveyed_units: int) -> int | None:
    """N of some units pooled (a unit with its subunits, or one unit alone).

    ``reported_total`` is the sum of the service users the units reported for the period
    (``None`` when none reported); ``unreported_surveyed_units`` counts the units among them
    that are surveyed (a service point, or respondents in the period) but have not reported.
    N is unknown (``None``) while any such unit is missing: summing only the units that
    reported would understate N, and so the required sample.
    """
    if unreported_surveyed_units < 0:
        raise ValueError(f"unreported units must not be negative, got {unreported_surveyed_units}")
    return None if unreported_surveyed_units else reported_total
