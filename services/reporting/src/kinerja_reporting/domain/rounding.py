"""Exact rounding and percentage helpers shared by the reporting rules."""

from decimal import Decimal
from fractions import Fraction
from math import floor

Exact = Fraction | Decimal | int


def round_half_up(value: Exact, places: int = 2) -> Decimal:
    """Round an exact value half away from zero to a fixed number of decimals."""
    if places < 0:
        raise ValueError("places must be zero or positive")
    scaled = Fraction(value) * 10**places
    magnitude = floor(abs(scaled) + Fraction(1, 2))
    units = -magnitude if scaled < 0 else magnitude
    return Decimal(units).scaleb(-places)


def share(part: int, whole: int) -> Fraction:
    """Return part/whole as an exact fraction, zero when the whole is empty."""
    if whole < 0 or part < 0:
        raise ValueError("counts must not be negative")
    return Fraction(part, whole) if whole else Fraction(0)


def as_percent(value: Fraction) -> Decimal:
    """Show an exact share (0..1) as a percentage with two decimals."""
    return round_half_up(value * 100, 2)
