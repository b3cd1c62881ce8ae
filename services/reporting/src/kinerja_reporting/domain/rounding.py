"""Exact rounding and percentage helpers shared by the reporting rules."""

from decimal import Decimal
from fractions import Fraction

Exact = Fraction | Decimal | int


def round_half_up(value: Exact, places: int = 2) -> Decimal:
    """Round an exact value half away from zero to a fixed number of decimals.

    Integer arithmetic on the value's exact ratio (no ``Fraction`` is built): this runs
    for every element of every IKM computed, so it is on the hot path of the projection.
    """
    if places < 0:
        raise ValueError("places must be zero or positive")
    if isinstance(value, int):
        numerator, denominator = value, 1
    else:
        numerator, denominator = value.as_integer_ratio()
    return Decimal(round_half_up_units(numerator, denominator, places)).scaleb(-places)


def round_half_up_units(numerator: int, denominator: int, places: int = 2) -> int:
    """``numerator / denominator`` rounded half away from zero, in units of 10**-places.

    ``denominator`` must be positive. For example ``round_half_up_units(225, 8)`` is 2813
    (28.125 rounded to 28.13).
    """
    scaled: int = abs(numerator) * 10**places
    magnitude = (2 * scaled + denominator) // (2 * denominator)
    return -magnitude if numerator < 0 else magnitude


def share(part: int, whole: int) -> Fraction:
    """Return part/whole as an exact fraction, zero when the whole is empty."""
    if whole < 0 or part < 0:
        raise ValueError("counts must not be negative")
    return Fraction(part, whole) if whole else Fraction(0)


def as_percent(value: Fraction) -> Decimal:
    """Show an exact share (0..1) as a percentage with two decimals."""
    return round_half_up(value * 100, 2)
