"""Krejcie & Morgan sample size and adequacy."""

import pytest

from kinerja_reporting.domain.sample import SampleState, required_sample, sample_adequacy


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
