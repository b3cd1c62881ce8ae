"""Reporting period keys: month ``2026-03``, quarter ``2026-Q1`` and year ``2026``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})")
_QUARTER = re.compile(r"(?P<year>\d{4})-Q(?P<quarter>\d)")
_YEAR = re.compile(r"(?P<year>\d{4})")
MIN_YEAR = 1
MAX_YEAR = 9999


class PeriodKind(StrEnum):
    """Length of a reporting period."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class InvalidPeriodKey(ValueError):
    """Raised when a period key is malformed or out of range."""


_PER_YEAR: dict[PeriodKind, int] = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 1}


@dataclass(frozen=True, slots=True)
class Period:
    """A month, quarter or year; ``number`` is the month (1-12), quarter (1-4) or 1."""

    kind: PeriodKind
    year: int
    number: int = 1

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise InvalidPeriodKey(f"year must be {MIN_YEAR}-{MAX_YEAR}, got {self.year}")
        if not 1 <= self.number <= _PER_YEAR[self.kind]:
            raise InvalidPeriodKey(
                f"{self.kind.value} number must be 1-{_PER_YEAR[self.kind]}, got {self.number}"
            )

    @property
    def key(self) -> str:
        """Canonical key: ``2026-03``, ``2026-Q1`` or ``2026``."""
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    def __str__(self) -> str:
        return self.key

    @property
    def first_month(self) -> int:
        """First calendar month of the period."""
        return (self.number - 1) * (12 // _PER_YEAR[self.kind]) + 1

    @property
    def start(self) -> date:
        """First day of the period."""
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        nxt_month = self.first_month + 12 // _PER_YEAR[self.kind]
        if nxt_month > 12:
            return date(self.year, 12, 31)
        return date(self.year, nxt_month, 1) - timedelta(days=1)

    def contains(self, day: date) -> bool:
        """True when the date falls in the period."""
        return self.start <= day <= self.end

    def previous(self) -> Period:
        """The period of the same kind just before this one (for trends)."""
        if self.number > 1:
            return Period(self.kind, self.year, self.number - 1)
        return Period(self.kind, self.year - 1, _PER_YEAR[self.kind])

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        if self.number < _PER_YEAR[self.kind]:
            return Period(self.kind, self.year, self.number + 1)
        return Period(self.kind, self.year + 1, 1)


def parse_period(key: str) -> Period:
    """Parse and validate a period key."""
    if match := _MONTH.fullmatch(key):
        return Period(PeriodKind.MONTH, int(match["year"]), int(match["month"]))
    if match := _QUARTER.fullmatch(key):
        return Period(PeriodKind.QUARTER, int(match["year"]), int(match["quarter"]))
    if match := _YEAR.fullmatch(key):
        return Period(PeriodKind.YEAR, int(match["year"]))
    raise InvalidPeriodKey(f"period key {key!r} is not YYYY-MM, YYYY-Qn or YYYY")


def period_containing(day: date, kind: PeriodKind) -> Period:
    """The period of the given kind that contains the date."""
    if kind is PeriodKind.MONTH:
        return Period(kind, day.year, day.month)
    if kind is PeriodKind.QUARTER:
        return Period(kind, day.year, (day.month - 1) // 3 + 1)
    return Period(kind, day.year)


def periods_containing(day: date) -> tuple[Period, Period, Period]:
    """The month, quarter and year that contain the date."""
    return (
        period_containing(day, PeriodKind.MONTH),
        period_containing(day, PeriodKind.QUARTER),
        period_containing(day, PeriodKind.YEAR),
    )
