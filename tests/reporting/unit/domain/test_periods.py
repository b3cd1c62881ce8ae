"""Period keys and period arithmetic."""

from datetime import date

import pytest

from kinerja_reporting.domain.periods import (
    InvalidPeriodKey,
    Period,
    PeriodKind,
    parse_period,
    period_containing,
    periods_containing,
)


@pytest.mark.parametrize(
    ("key", "kind", "year", "number"),
    [
        ("2026-03", PeriodKind.MONTH, 2026, 3),
        ("2026-12", PeriodKind.MONTH, 2026, 12),
        ("2026-Q1", PeriodKind.QUARTER, 2026, 1),
        ("2026-Q4", PeriodKind.QUARTER, 2026, 4),
        ("2026", PeriodKind.YEAR, 2026, 1),
    ],
)
def test_valid_keys_parse_and_round_trip(
    key: str, kind: PeriodKind, year: int, number: int
) -> None:
    period = parse_period(key)
    assert period == Period(kind, year, number)
    assert period.key == key
    assert str(period) == key


@pytest.mark.parametrize(
    "key",
    ["2026-13", "2026-00", "2026-3", "2026-Q0", "2026-Q5", "2026-q1", "26", "0000", "2026-", ""],
)
def test_invalid_keys_are_refused(key: str) -> None:
    with pytest.raises(InvalidPeriodKey):
        parse_period(key)


@pytest.mark.parametrize(
    ("key", "previous"),
    [
        ("2026-01", "2025-12"),
        ("2026-03", "2026-02"),
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026", "2025"),
    ],
)
def test_previous_period_of_the_same_kind(key: str, previous: str) -> None:
    assert parse_period(key).previous().key == previous


@pytest.mark.parametrize(("key", "following"), [("2025-12", "2026-01"), ("2025-Q4", "2026-Q1")])
def test_next_period_wraps_into_the_next_year(key: str, following: str) -> None:
    assert parse_period(key).next().key == following


@pytest.mark.parametrize(
    ("day", "keys"),
    [
        (date(2026, 1, 1), ("2026-01", "2026-Q1", "2026")),
        (date(2026, 3, 31), ("2026-03", "2026-Q1", "2026")),
        (date(2026, 4, 1), ("2026-04", "2026-Q2", "2026")),
        (date(2026, 12, 31), ("2026-12", "2026-Q4", "2026")),
    ],
)
def test_periods_containing_a_date(day: date, keys: tuple[str, str, str]) -> None:
    assert tuple(p.key for p in periods_containing(day)) == keys
    assert all(p.contains(day) for p in periods_containing(day))


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_period_start_and_end(key: str, start: date, end: date) -> None:
    period = parse_period(key)
    assert (period.start, period.end) == (start, end)


def test_a_date_outside_the_period_is_not_contained() -> None:
    assert not parse_period("2026-Q1").contains(date(2026, 4, 1))


def test_period_containing_a_date_by_kind() -> None:
    assert period_containing(date(2026, 8, 17), PeriodKind.QUARTER).key == "2026-Q3"
