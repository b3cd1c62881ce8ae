"""Integer arithmetic of the IKM gives exactly the figures of the Fraction reference.

``compute_ikm``, ``ikm_hundredths``, ``band_for`` and ``round_half_up`` round on integers;
here they are compared with a straightforward ``Fraction`` implementation of the rules
(NRR = sum/answered, IKM = 25/k x sum of NRRs, ROUND_HALF_UP of the exact value, bands on
the two-decimal value) over many random totals, including totals whose IKM sits exactly on
a band threshold or exactly on a rounding half.
"""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction
from math import floor

import pytest

from kinerja_reporting.domain.ikm import (
    BAND_LOWER_BOUNDS,
    ElementTally,
    ElementTotals,
    MutuPelayanan,
    band_for,
    band_for_hundredths,
    compute_ikm,
    ikm_hundredths,
)
from kinerja_reporting.domain.rounding import round_half_up, round_half_up_units


def reference_round(value: Fraction | Decimal | int, places: int) -> Decimal:
    """ROUND_HALF_UP (away from zero) on the exact value, with Fractions."""
    scaled = Fraction(value) * 10**places
    magnitude = floor(abs(scaled) + Fraction(1, 2))
    return Decimal(-magnitude if scaled < 0 else magnitude).scaleb(-places)


def reference_band(ikm: Decimal) -> MutuPelayanan:
    value = reference_round(ikm, 2)
    for bound, band in BAND_LOWER_BOUNDS:
        if value >= bound:
            return band
    return MutuPelayanan.D


def reference_ikm(totals: ElementTotals) -> tuple[Fraction, Decimal] | None:
    nrrs = [Fraction(t.score_sum, t.answered) for t in totals.tallies if t.answered]
    if not nrrs:
        return None
    exact = sum((n * Fraction(1, len(nrrs)) for n in nrrs), Fraction(0)) * 25
    return exact, reference_round(exact, 2)


def random_totals(rng: random.Random) -> ElementTotals:
    respondents = rng.choice((1, 2, 3, 7, rng.randint(1, 50), rng.randint(1, 10**6)))
    tallies = []
    for _ in range(9):
        answered = 0 if rng.random() < 0.15 else rng.randint(1, respondents)
        low, high = answered, 4 * answered
        score_sum = rng.choice((low, high, rng.randint(low, high)))
        tallies.append(ElementTally(score_sum, answered))
    return ElementTotals(respondents=respondents, tallies=tuple(tallies))


def on_threshold(bound: Decimal, answered: int) -> ElementTotals:
    """Totals whose exact IKM is ``bound`` (all nine elements with the same sum)."""
    score_sum = Fraction(bound) / 25 * answered  # NRR = bound / 25 for every element
    assert score_sum.denominator == 1
    return ElementTotals(
        respondents=answered,
        tallies=tuple(ElementTally(int(score_sum), answered) for _ in range(9)),
    )


def assert_matches_reference(totals: ElementTotals) -> None:
    result = compute_ikm(totals)
    expected = reference_ikm(totals)
    if expected is None:
        assert result.ikm is None
        assert result.ikm_exact is None
        assert result.band is None
        assert ikm_hundredths(totals) is None
        return
    exact, rounded = expected
    assert result.ikm_exact == exact
    assert result.ikm == rounded
    assert str(result.ikm) == str(rounded)
    assert result.band is reference_band(rounded)
    assert ikm_hundredths(totals) == int(rounded * 100)
    answered = [t for t in totals.tallies if t.answered]
    assert result.weight == Fraction(1, len(answered))
    for element, tally in zip(result.elements, answered, strict=True):
        nrr = Fraction(tally.score_sum, tally.answered)
        assert element.nrr_exact == nrr
        assert element.weighted_nrr_exact == nrr * Fraction(1, len(answered))
        assert str(element.nrr) == str(reference_round(nrr, 2))


@pytest.mark.parametrize("seed", range(8))
def test_compute_ikm_equals_the_fraction_reference_on_random_totals(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(500):
        assert_matches_reference(random_totals(rng))


@pytest.mark.parametrize(("bound", "band"), BAND_LOWER_BOUNDS)
def test_an_ikm_exactly_on_a_band_threshold_is_in_that_band(
    bound: Decimal, band: MutuPelayanan
) -> None:
    for answered in (2500, 5000, 10_000):  # NRR = bound/25 = hundredths / 2500
        totals = on_threshold(bound, answered)
        assert_matches_reference(totals)
        assert compute_ikm(totals).ikm == bound
        assert compute_ikm(totals).band is band
    for less, same_band in ((1, True), (4, True), (5, False), (9, False)):
        # 25/(9 x 2500) = 1/900 point per score: 88.31 - 4/900 still rounds to 88.31,
        # 88.31 - 5/900 rounds to 88.30 (the band below)
        near = ElementTotals(
            respondents=2500,
            tallies=(
                ElementTally(int(Fraction(bound) / 25 * 2500) - less, 2500),
                *on_threshold(bound, 2500).tallies[1:],
            ),
        )
        assert_matches_reference(near)
        assert (compute_ikm(near).band is band) is same_band


def test_an_exact_half_hundredth_rounds_up() -> None:
    # 9 elements, one respondent each: IKM = 25/9 * sum; a sum of scores giving x.xx5 exactly
    # needs a denominator dividing 200; two elements answered by 8 respondents do it.
    totals = ElementTotals(
        respondents=8,
        tallies=(ElementTally(25, 8), ElementTally(24, 8), *(ElementTally() for _ in range(7))),
    )
    assert compute_ikm(totals).ikm_exact == Fraction(4900, 64)  # 76.5625
    assert_matches_reference(totals)
    for sums in ((1, 8), (3, 8), (5, 8), (7, 8)):  # n/8 * 25 = x.125, x.375, x.625, x.875
        tallies = (ElementTally(8 + sums[0], 8), *(ElementTally() for _ in range(8)))
        assert_matches_reference(ElementTotals(respondents=8, tallies=tallies))


def test_band_for_equals_the_reference_around_every_threshold() -> None:
    for bound, _ in BAND_LOWER_BOUNDS:
        for step in range(-30, 31):
            value = bound + Decimal(step) / 1000
            assert band_for(value) is reference_band(value)
        assert band_for_hundredths(int(bound * 100)) is reference_band(bound)
        assert band_for_hundredths(int(bound * 100) - 1) is reference_band(bound - Decimal("0.01"))


@pytest.mark.parametrize("places", [0, 1, 2, 3])
def test_round_half_up_equals_the_fraction_reference(places: int) -> None:
    rng = random.Random(places)
    values: list[Fraction | Decimal | int] = [0, 1, -1, Decimal("-0.005"), Decimal("2.5")]
    for _ in range(2000):
        numerator = rng.randint(-(10**7), 10**7)
        denominator = rng.choice((1, 2, 8, 200, 2000, rng.randint(1, 10**6)))
        values += [
            Fraction(numerator, denominator),
            Decimal(numerator).scaleb(-rng.randint(0, 6)),
            numerator,
        ]
    for value in values:
        expected = reference_round(value, places)
        result = round_half_up(value, places)
        assert str(result) == str(expected), value
        if not isinstance(value, int):
            ratio = value.as_integer_ratio()
            assert round_half_up_units(*ratio, places) == int(expected.scaleb(places))
