"""Predikat distribution against the kurva distribusi."""

from decimal import Decimal
from fractions import Fraction

import pytest

from kinerja_reporting.domain.distribution import Bound, check_distribution
from kinerja_reporting.domain.predikat import Predikat, PredikatOrganisasi

SB = Predikat.SANGAT_BAIK
B = Predikat.BAIK
BP = Predikat.BUTUH_PERBAIKAN
K = Predikat.KURANG
SK = Predikat.SANGAT_KURANG


def counts(sb: int = 0, b: int = 0, bp: int = 0, k: int = 0, sk: int = 0) -> dict[Predikat, int]:
    return {SB: sb, B: b, BP: bp, K: k, SK: sk}


@pytest.mark.parametrize(
    ("distribution", "passed", "employees_off"),
    [(counts(sb=7, b=3), True, 0), (counts(sb=8, b=2), False, 1), (counts(sb=10), False, 3)],
)
def test_istimewa_allows_sangat_baik_up_to_70_percent(
    distribution: dict[Predikat, int], passed: bool, employees_off: int
) -> None:
    (status,) = check_distribution(distribution, PredikatOrganisasi.ISTIMEWA).statuses
    assert status.passed is passed
    assert status.employees_off == employees_off
    assert status.limit_count == 7


def test_status_reports_exact_share_percent_and_limit() -> None:
    (status,) = check_distribution(counts(sb=2, b=1), PredikatOrganisasi.ISTIMEWA).statuses
    assert status.share == Fraction(2, 3)
    assert status.share_percent == Decimal("66.67")
    assert status.constraint.limit == 70
    assert status.constraint.bound is Bound.AT_MOST_PERCENT
    assert status.limit_count == 2
    assert status.passed


@pytest.mark.parametrize(
    ("distribution", "results"),
    [
        (counts(b=7, bp=1, sb=2), [True, True]),
        (counts(b=8, k=1, sb=1), [False, True]),
        (counts(b=7, sb=3), [True, False]),
    ],
)
def test_baik_limits_baik_and_needs_one_butuh_perbaikan_or_kurang(
    distribution: dict[Predikat, int], results: list[bool]
) -> None:
    report = check_distribution(distribution, PredikatOrganisasi.BAIK)
    assert [s.passed for s in report.statuses] == results
    assert report.passed is all(results)


@pytest.mark.parametrize(
    ("distribution", "results"),
    [
        (counts(bp=6, sb=1, b=3), [True, True]),
        (counts(bp=5, sb=1, b=4), [False, True]),
        (counts(bp=6, sb=2, b=2), [True, False]),
    ],
)
def test_butuh_perbaikan_needs_60_percent_and_at_most_10_percent_sangat_baik(
    distribution: dict[Predikat, int], results: list[bool]
) -> None:
    report = check_distribution(distribution, PredikatOrganisasi.BUTUH_PERBAIKAN)
    assert [s.passed for s in report.statuses] == results


@pytest.mark.parametrize(
    ("distribution", "results"),
    [
        (counts(k=6, bp=1, sb=1, b=2), [True, True, True]),
        (counts(k=5, bp=1, sb=1, b=3), [False, True, True]),
        (counts(k=7, bp=0, sb=1, sk=2), [True, False, True]),
        (counts(k=6, bp=1, sb=2, b=1), [True, True, False]),
    ],
)
def test_kurang_constraints(distribution: dict[Predikat, int], results: list[bool]) -> None:
    report = check_distribution(distribution, PredikatOrganisasi.KURANG)
    assert [s.passed for s in report.statuses] == results


@pytest.mark.parametrize(
    ("distribution", "results"),
    [
        (counts(sk=6, k=1, b=3), [True, True, True]),
        (counts(sk=6, bp=1, b=3), [True, True, True]),
        (counts(sk=5, k=1, b=4), [False, True, True]),
        (counts(sk=9, b=1), [True, False, True]),
        (counts(sk=8, k=1, sb=1), [True, True, False]),
    ],
)
def test_sangat_kurang_constraints(distribution: dict[Predikat, int], results: list[bool]) -> None:
    report = check_distribution(distribution, PredikatOrganisasi.SANGAT_KURANG)
    assert [s.passed for s in report.statuses] == results


def test_at_least_limit_rounds_the_required_employees_up() -> None:
    """60% of 7 is 4.2 employees, so 5 are needed; 4 fall short by one."""
    report = check_distribution(counts(bp=4, b=3), PredikatOrganisasi.BUTUH_PERBAIKAN)
    status = report.statuses[0]
    assert status.limit_count == 5
    assert not status.passed
    assert status.employees_off == 1
    assert report.failed == (status,)
    assert "fails by 1" in status.explanation


def test_at_most_limit_rounds_the_allowed_employees_down() -> None:
    """70% of 9 is 6.3 employees, so at most 6 Sangat Baik."""
    (status,) = check_distribution(counts(sb=7, b=2), PredikatOrganisasi.ISTIMEWA).statuses
    assert status.limit_count == 6
    assert status.employees_off == 1


def test_a_list_of_predikat_is_counted_first() -> None:
    report = check_distribution([SB, SB, B, BP], PredikatOrganisasi.ISTIMEWA)
    assert report.total == 4
    assert report.counts[SB] == 2
    assert report.share_of(SB) == Fraction(1, 2)
    assert report.passed


def test_an_empty_unit_fails_only_the_at_least_one_limit() -> None:
    report = check_distribution([], PredikatOrganisasi.BAIK)
    assert [s.passed for s in report.statuses] == [True, False]
    assert report.statuses[1].employees_off == 1
