"""Exact half-up rounding and shares."""

from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja_reporting.domain.rounding import as_percent, round_half_up, share


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(225, 8), 2, "28.13"),
        (Fraction(-225, 8), 2, "-28.13"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("0.125"), 2, "0.13"),
        (Fraction(1, 3), 2, "0.33"),
        (100, 2, "100.00"),
    ],
)
def test_round_half_up_rounds_exact_halves_away_from_zero(
    value: Fraction | Decimal | int, places: int, expected: str
) -> None:
    result = round_half_up(value, places)
    assert result == Decimal(expected)
    assert str(result) == expected


def test_share_of_an_empty_whole_is_zero() -> None:
    assert share(0, 0) == 0


def test_percent_of_two_thirds_shows_two_decimals() -> None:
    assert as_percent(Fraction(2, 3)) == Decimal("66.67")
