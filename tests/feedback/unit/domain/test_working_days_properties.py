"""Properties of the working calendar of the complaint deadlines (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja_feedback.domain.working_days import WorkingCalendar

DAYS = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
HOLIDAYS = st.frozensets(DAYS, max_size=40)
WEEKDAYS = st.frozensets(st.integers(min_value=1, max_value=7), min_size=1)
COUNTS = st.integers(min_value=0, max_value=80)
CALENDARS = st.builds(WorkingCalendar, working_weekdays=WEEKDAYS, holidays=HOLIDAYS)


@given(CALENDARS, DAYS, st.integers(min_value=1, max_value=80))
def test_a_deadline_is_never_a_holiday_nor_a_day_off(
    calendar: WorkingCalendar, start: date, n: int
) -> None:
    due = calendar.add_working_days(start, n)
    assert due not in calendar.holidays
    assert due.isoweekday() in calendar.working_weekdays


@given(CALENDARS, DAYS, COUNTS)
def test_counting_back_the_working_days_to_a_deadline_gives_n(
    calendar: WorkingCalendar, start: date, n: int
) -> None:
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@given(CALENDARS, DAYS, COUNTS)
def test_one_more_working_day_never_gives_an_earlier_deadline(
    calendar: WorkingCalendar, start: date, n: int
) -> None:
    assert calendar.add_working_days(start, n + 1) > calendar.add_working_days(start, n)


@given(CALENDARS, DAYS, st.integers(min_value=1, max_value=10), COUNTS)
def test_a_later_start_never_gives_an_earlier_deadline(
    calendar: WorkingCalendar, start: date, later_by: int, n: int
) -> None:
    later = start + timedelta(days=later_by)
    assert calendar.add_working_days(later, n) >= calendar.add_working_days(start, n)


@given(CALENDARS, DAYS, DAYS, COUNTS)
def test_a_holiday_only_ever_moves_a_deadline_later(
    calendar: WorkingCalendar, start: date, holiday: date, n: int
) -> None:
    with_holiday = WorkingCalendar(
        working_weekdays=calendar.working_weekdays, holidays=calendar.holidays | {holiday}
    )
    assert with_holiday.add_working_days(start, n) >= calendar.add_working_days(start, n)


@given(CALENDARS, DAYS, COUNTS)
def test_no_day_off_lies_inside_the_count_uncounted(
    calendar: WorkingCalendar, start: date, n: int
) -> None:
    due = calendar.add_working_days(start, n)
    between = [start + timedelta(days=i) for i in range(1, (due - start).days + 1)]
    assert sum(calendar.is_working_day(day) for day in between) == n


def test_a_calendar_without_a_working_weekday_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one working weekday"):
        WorkingCalendar(working_weekdays=frozenset())
