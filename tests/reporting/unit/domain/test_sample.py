"""Krejcie & Morgan sample size and adequacy."""

from fractions import Fraction

import pytest

from kinerja_reporting.domain.sample import (
    SampleState,
    not_assessable,
    pooled_population,
    required_sample,
    sample_adequacy,
)


@pytest.mark.parametrize(
    ("population", "required"),
    [(100, 80), (1000, 278), (1_000_000, 384), (1, 1), (10, 10), (50, 44), (500, 217)],
)
def test_required_sample_matches_the_krejcie_morgan_table(population: int, required: int) -> None:
    assert required_sample(population) == required


@pytest.mark.parametrize(("respondents", "adequate"), [(79, False), (80, True), (120, True)])
def test_adequacy_at_the_required_sample_boundary(respondents: int, adequate: bool) -> None:
    result = sample_adequacy(respondents, 100)
    assert result.required == 80
    assert result.respondents == respondents
    assert result.adequate is adequate
    assert result.state is (SampleState.ADEQUATE if adequate else SampleState.INADEQUATE)


@pytest.mark.parametrize("population", [None, 0])
def test_unknown_population_gives_unknown_adequacy(population: int | None) -> None:
    result = sample_adequacy(50, population)
    assert result.required is None
    assert result.adequate is None
    assert result.state is SampleState.UNKNOWN


@pytest.mark.parametrize(("respondents", "population"), [(-1, 100), (10, -5)])
def test_negative_numbers_are_refused(respondents: int, population: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        sample_adequacy(respondents, population)


def test_a_pooled_population_is_the_sum_reported_when_every_surveyed_unit_reported() -> None:
    assert pooled_population(300, 0) == 300


def test_a_pooled_population_is_unknown_while_a_surveyed_unit_has_not_reported() -> None:
    assert pooled_population(100, 1) is None


def test_a_pooled_population_is_unknown_when_nobody_reported() -> None:
    assert pooled_population(None, 0) is None


def test_a_scope_without_its_own_population_is_not_assessable() -> None:
    result = not_assessable(80)
    assert (result.required, result.respondents, result.adequate) == (None, 80, None)
    assert result.state is SampleState.NOT_ASSESSABLE


_CHI2, _P, _D = Fraction(3841, 1000), Fraction(1, 2), Fraction(5, 100)
_CHI2_PQ, _D2 = _CHI2 * _P * (1 - _P), _D**2


def _krejcie_morgan_reference(population: int) -> int:
    """The formula as docs/domain.md writes it, in ``Fraction``s, rounded to nearest (half up)."""
    size = _CHI2_PQ * population / (_D2 * (population - 1) + _CHI2_PQ)
    return int(size + Fraction(1, 2))  # positive: int() is floor


def test_required_sample_equals_the_exact_formula_for_every_population_up_to_100000() -> None:
    wrong = [
        (n, required_sample(n), _krejcie_morgan_reference(n))
        for n in range(1, 100_001)
        if required_sample(n) != _krejcie_morgan_reference(n)
    ]
    assert wrong == []
