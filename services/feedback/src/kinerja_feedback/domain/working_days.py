"""Working days of the complaint deadlines: which weekdays are worked and which dates are
holidays (docs/domain.md, complaints: working days and the holiday calendar)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

MONDAY_TO_FRIDAY: frozenset[int] = frozenset({1, 2, 3, 4, 5})
"""ISO weekdays (Monday = 1 ... Sunday = 7) an Indonesian government office works by default."""


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """The worked weekdays (ISO numbers) and the holidays (national, cuti bersama, regional)."""

    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        """Refuse a calendar without a working weekday (no deadline could ever fall)."""
        if not self.working_weekdays:
            raise ValueError("a working calendar needs at least one working weekday")
        if not self.working_weekdays <= frozenset(range(1, 8)):
            raise ValueError("working weekdays are ISO numbers from 1 (Monday) to 7 (Sunday)")

    def is_working_day(self, day: date) -> bool:
        """Tell whether a day is a worked weekday and not a holiday."""
        return day.isoweekday() in self.working_weekdays and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The date n working days after start (start itself is day zero, not counted)."""
        if n < 0:
            raise ValueError(f"the number of working days must not be negative, got {n}")
        day = start
        remaining = n
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie after start, up to and including end (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
