"""The kurva distribusi check (SE MenPANRB 3/2023), at every boundary."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from fractions import Fraction
from functools import cache

import pytest

from kinerja_shared.law.kurva import (
    KURVA_DISTRIBUSI,
    ConstraintKind,
    CurveConstraint,
    CurveRounding,
    CurveViolation,
    check_distribution,
    curve_is_possible,
    distribution_report,
    impossibility,
    override_allowed,
)
from kinerja_shared.law.predikat import PredikatOrganisasi, PredikatPegawai

SB, B, BP, K, SK = (
    PredikatPegawai.SANGAT_BAIK,
    PredikatPegawai.BAIK,
    PredikatPegawai.BUTUH_PERBAIKAN,
    PredikatPegawai.KURANG,
    PredikatPegawai.SANGAT_KURANG,
)
ISTIMEWA = PredikatOrganisasi.ISTIMEWA
BAIK = PredikatOrganisasi.BAIK
BUTUH_PERBAIKAN = PredikatOrganisasi.BUTUH_PERBAIKAN
KURANG = PredikatOrganisasi.KURANG
SANGAT_KURANG = PredikatOrganisasi.SANGAT_KURANG


def dist(
    *, sb: int = 0, b: int = 0, bp: int = 0, k: int = 0, sk: int = 0
) -> dict[PredikatPegawai, int]:
    """Build a distribution of employee predikat counts."""
    return {SB: sb, B: b, BP: bp, K: k, SK: sk}


def codes(org: PredikatOrganisasi, counts: dict[PredikatPegawai, int]) -> list[str]:
    """Return the codes of the constraints `counts` breaks."""
    return [violation.code for violation in check_distribution(org, counts)]


def only_violation(org: PredikatOrganisasi, counts: dict[PredikatPegawai, int]) -> CurveViolation:
    """Return the single violation `counts` causes, failing if there is not exactly one."""
    violations = check_distribution(org, counts)
    assert len(violations) == 1, violations
    return violations[0]


# ------------------------------------------------------------------------------ general


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_an_empty_unit_breaks_no_constraint(org: PredikatOrganisasi) -> None:
    assert check_distribution(org, {}) == []
    assert check_distribution(org, dist()) == []


def test_a_missing_predikat_counts_as_zero() -> None:
    assert check_distribution(ISTIMEWA, {SB: 7, B: 3}) == []


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        check_distribution(ISTIMEWA, {SB: -1, B: 3})


def test_every_row_of_the_table_is_encoded_with_its_constraint_codes() -> None:
    assert {org: [rule.code for rule in rules] for org, rules in KURVA_DISTRIBUSI.items()} == {
        ISTIMEWA: ["sangat_baik_max_70"],
        BAIK: ["baik_max_70", "butuh_perbaikan_or_kurang_min_one"],
        BUTUH_PERBAIKAN: ["butuh_perbaikan_min_60", "sangat_baik_max_10"],
        KURANG: [
            "kurang_min_60",
            "butuh_perbaikan_min_10",
            "sangat_baik_max_10",
            "rest_baik_or_sangat_kurang",
        ],
        SANGAT_KURANG: [
            "sangat_kurang_min_60",
            "kurang_or_butuh_perbaikan_min_10",
            "sangat_baik_none",
            "rest_baik",
        ],
    }


def test_a_violation_carries_the_numbers_and_a_readable_message() -> None:
    violation = only_violation(ISTIMEWA, dist(sb=8, b=2))

    assert violation == CurveViolation(
        code="sangat_baik_max_70",
        message=(
            "Sangat Baik may be at most 70% of employees when the organisation predikat is"
            " Istimewa: found 8 of 10 (80.0%), at most 7 employees allowed; 1 employee too many."
        ),
        organisation_predikat=ISTIMEWA,
        predikat=frozenset({SB}),
        actual=8,
        total=10,
        limit=7,
        employees_to_change=1,
    )


# ----------------------------------------------------------------------------- Istimewa


def test_istimewa_allows_exactly_70_percent_sangat_baik() -> None:
    assert check_distribution(ISTIMEWA, dist(sb=7, b=3)) == []


def test_finalising_refuses_when_sangat_baik_exceeds_70_percent() -> None:
    violation = only_violation(ISTIMEWA, dist(sb=8, b=2))

    assert (violation.code, violation.actual, violation.limit) == ("sangat_baik_max_70", 8, 7)
    assert violation.employees_to_change == 1


def test_istimewa_with_3_employees_allows_2_sangat_baik_but_not_3() -> None:
    assert check_distribution(ISTIMEWA, dist(sb=2, b=1)) == []
    violation = only_violation(ISTIMEWA, dist(sb=3))
    assert (violation.limit, violation.employees_to_change) == (2, 1)


def test_istimewa_counts_every_excess_sangat_baik() -> None:
    assert only_violation(ISTIMEWA, dist(sb=10)).employees_to_change == 3


def test_a_single_sangat_baik_employee_breaks_istimewa() -> None:
    assert only_violation(ISTIMEWA, dist(sb=1)).limit == 0


def test_istimewa_allows_any_mix_of_the_rest() -> None:
    assert check_distribution(ISTIMEWA, dist(sb=3, bp=1, k=2, sk=4)) == []


# --------------------------------------------------------------------------------- Baik


def test_baik_allows_exactly_70_percent_baik_with_one_butuh_perbaikan() -> None:
    assert check_distribution(BAIK, dist(b=7, bp=1, sb=2)) == []


def test_baik_refuses_more_than_70_percent_baik() -> None:
    violation = only_violation(BAIK, dist(b=8, bp=1, sb=1))

    assert (violation.code, violation.limit, violation.employees_to_change) == (
        "baik_max_70",
        7,
        1,
    )


@pytest.mark.parametrize("counts", [dist(b=7, k=1, sb=2), dist(b=7, bp=1, sb=2)])
def test_baik_is_satisfied_by_one_kurang_or_one_butuh_perbaikan(
    counts: dict[PredikatPegawai, int],
) -> None:
    assert check_distribution(BAIK, counts) == []


def test_baik_refuses_a_unit_without_butuh_perbaikan_or_kurang() -> None:
    violation = only_violation(BAIK, dist(b=7, sb=2, sk=1))

    assert violation.code == "butuh_perbaikan_or_kurang_min_one"
    assert (violation.actual, violation.limit, violation.employees_to_change) == (0, 1, 1)
    assert "Butuh Perbaikan or Kurang/Misconduct" in violation.message


def test_baik_reports_both_broken_constraints_at_once() -> None:
    violations = check_distribution(BAIK, dist(b=10))

    assert [(v.code, v.employees_to_change) for v in violations] == [
        ("baik_max_70", 3),
        ("butuh_perbaikan_or_kurang_min_one", 1),
    ]


def test_baik_with_3_employees_allows_2_baik_and_1_kurang() -> None:
    assert check_distribution(BAIK, dist(b=2, k=1)) == []
    assert codes(BAIK, dist(b=3)) == ["baik_max_70", "butuh_perbaikan_or_kurang_min_one"]


# ---------------------------------------------------------------------- Butuh Perbaikan


def test_butuh_perbaikan_accepts_exactly_60_percent_butuh_perbaikan() -> None:
    assert check_distribution(BUTUH_PERBAIKAN, dist(bp=6, sb=1, b=3)) == []


def test_butuh_perbaikan_refuses_59_percent_butuh_perbaikan() -> None:
    violation = only_violation(BUTUH_PERBAIKAN, dist(bp=5, b=5))

    assert (violation.code, violation.limit, violation.employees_to_change) == (
        "butuh_perbaikan_min_60",
        6,
        1,
    )
    assert "1 employee short" in violation.message


def test_butuh_perbaikan_with_3_employees_needs_2_butuh_perbaikan() -> None:
    assert check_distribution(BUTUH_PERBAIKAN, dist(bp=2, b=1)) == []
    violation = only_violation(BUTUH_PERBAIKAN, dist(bp=1, b=2))
    assert (violation.limit, violation.employees_to_change) == (2, 1)


def test_butuh_perbaikan_with_5_employees_needs_exactly_3() -> None:
    assert check_distribution(BUTUH_PERBAIKAN, dist(bp=3, b=2)) == []
    assert codes(BUTUH_PERBAIKAN, dist(bp=2, b=3)) == ["butuh_perbaikan_min_60"]


def test_butuh_perbaikan_allows_10_percent_sangat_baik() -> None:
    assert check_distribution(BUTUH_PERBAIKAN, dist(bp=6, sb=1, k=3)) == []


def test_butuh_perbaikan_refuses_more_than_10_percent_sangat_baik() -> None:
    violation = only_violation(BUTUH_PERBAIKAN, dist(bp=6, sb=2, b=2))

    assert (violation.code, violation.limit, violation.employees_to_change) == (
        "sangat_baik_max_10",
        1,
        1,
    )


def test_butuh_perbaikan_with_9_employees_allows_no_sangat_baik() -> None:
    # 1 of 9 is 11.1%: at most 10% of 9 employees is 0.9, so none.
    assert codes(BUTUH_PERBAIKAN, dist(bp=6, sb=1, b=2)) == ["sangat_baik_max_10"]
    assert check_distribution(BUTUH_PERBAIKAN, dist(bp=6, b=3)) == []


# ------------------------------------------------------------------------------- Kurang


def test_kurang_accepts_the_minimums_exactly() -> None:
    assert check_distribution(KURANG, dist(k=6, bp=1, sb=1, b=1, sk=1)) == []


def test_kurang_refuses_fewer_than_60_percent_kurang() -> None:
    violation = only_violation(KURANG, dist(k=5, bp=1, b=4))

    assert (violation.code, violation.limit, violation.employees_to_change) == (
        "kurang_min_60",
        6,
        1,
    )


def test_kurang_refuses_a_unit_without_butuh_perbaikan() -> None:
    violation = only_violation(KURANG, dist(k=7, b=3))

    assert (violation.code, violation.limit, violation.employees_to_change) == (
        "butuh_perbaikan_min_10",
        1,
        1,
    )


def test_kurang_with_11_employees_needs_2_butuh_perbaikan() -> None:
    # 10% of 11 employees is 1.1: one is not enough.
    assert codes(KURANG, dist(k=7, bp=1, b=3)) == ["butuh_perbaikan_min_10"]
    assert check_distribution(KURANG, dist(k=7, bp=2, b=2)) == []


def test_kurang_refuses_more_than_10_percent_sangat_baik() -> None:
    violation = only_violation(KURANG, dist(k=6, bp=2, sb=2))

    assert (violation.code, violation.employees_to_change) == ("sangat_baik_max_10", 1)


def test_kurang_allows_the_rest_to_be_baik_or_sangat_kurang() -> None:
    assert check_distribution(KURANG, dist(k=12, bp=2, b=3, sk=3)) == []


def test_kurang_reports_every_broken_constraint() -> None:
    assert codes(KURANG, dist(sb=5, b=5)) == [
        "kurang_min_60",
        "butuh_perbaikan_min_10",
        "sangat_baik_max_10",
    ]


# ------------------------------------------------------------------------ Sangat Kurang


def test_sangat_kurang_accepts_the_minimums_exactly() -> None:
    assert check_distribution(SANGAT_KURANG, dist(sk=6, k=1, b=3)) == []
    assert check_distribution(SANGAT_KURANG, dist(sk=6, bp=1, b=3)) == []


def test_sangat_kurang_refuses_fewer_than_60_percent_sangat_kurang() -> None:
    violation = only_violation(SANGAT_KURANG, dist(sk=5, k=1, b=4))

    assert (violation.code, violation.limit, violation.employees_to_change) == (
        "sangat_kurang_min_60",
        6,
        1,
    )


def test_sangat_kurang_counts_kurang_and_butuh_perbaikan_together() -> None:
    # 10% of 20 is 2: one Kurang and one Butuh Perbaikan together are enough.
    assert check_distribution(SANGAT_KURANG, dist(sk=12, k=1, bp=1, b=6)) == []
    violation = only_violation(SANGAT_KURANG, dist(sk=12, k=1, b=7))
    assert (violation.code, violation.limit, violation.employees_to_change) == (
        "kurang_or_butuh_perbaikan_min_10",
        2,
        1,
    )


def test_sangat_kurang_refuses_any_sangat_baik() -> None:
    violation = only_violation(SANGAT_KURANG, dist(sk=12, k=2, sb=1, b=5))

    assert (violation.code, violation.actual, violation.limit) == ("sangat_baik_none", 1, 0)
    assert violation.employees_to_change == 1
    assert violation.message.startswith("No employee may be Sangat Baik")


def test_sangat_kurang_counts_every_sangat_baik_to_change() -> None:
    violation = only_violation(SANGAT_KURANG, dist(sk=12, k=2, sb=3, b=3))

    assert violation.employees_to_change == 3


# ------------------------------------------------------------------- "the rest" rule


@pytest.mark.parametrize(
    ("org", "code"),
    [(KURANG, "rest_baik_or_sangat_kurang"), (SANGAT_KURANG, "rest_baik")],
)
def test_the_rest_rule_is_implied_by_the_other_constraints_of_its_row(
    org: PredikatOrganisasi, code: str
) -> None:
    # Every predikat is either named by another constraint of the row or allowed in the
    # rest, so "the rest" can never fail alone; it is encoded so the table is complete.
    rest = next(rule for rule in KURVA_DISTRIBUSI[org] if rule.code == code)

    assert rest.kind is ConstraintKind.REST_ONLY
    assert rest.predikat == frozenset()


def test_a_rest_rule_reports_employees_outside_the_allowed_rest() -> None:
    rule = CurveConstraint(
        "rest_baik",
        ConstraintKind.REST_ONLY,
        frozenset({SB, BP}),
        rest_allowed=frozenset({B}),
    )

    violation = rule.check(SANGAT_KURANG, dist(sk=6, sb=1, bp=2, b=1))

    assert violation is not None
    assert (violation.actual, violation.limit, violation.employees_to_change) == (3, 0, 3)
    assert "may only be Baik" in violation.message
    assert rule.check(SANGAT_KURANG, dist(sk=6, b=4)) is None


# ------------------------------------------- against an independent encoding of the table

Counts = dict[PredikatPegawai, int]
Holds = Callable[[Counts], bool]


def _share(counts: Counts, *predikat: PredikatPegawai) -> Fraction:
    return Fraction(sum(counts[p] for p in predikat), sum(counts.values()))


def _at_most(percent: int, *predikat: PredikatPegawai) -> Holds:
    return lambda counts: _share(counts, *predikat) <= Fraction(percent, 100)


def _at_least(percent: int, *predikat: PredikatPegawai) -> Holds:
    return lambda counts: _share(counts, *predikat) >= Fraction(percent, 100)


def _some(*predikat: PredikatPegawai) -> Holds:
    return lambda counts: sum(counts[p] for p in predikat) >= 1


def _no(*predikat: PredikatPegawai) -> Holds:
    return lambda counts: sum(counts[p] for p in predikat) == 0


ORACLE: dict[PredikatOrganisasi, dict[str, Holds]] = {
    ISTIMEWA: {"sangat_baik_max_70": _at_most(70, SB)},
    BAIK: {
        "baik_max_70": _at_most(70, B),
        "butuh_perbaikan_or_kurang_min_one": _some(BP, K),
    },
    BUTUH_PERBAIKAN: {
        "butuh_perbaikan_min_60": _at_least(60, BP),
        "sangat_baik_max_10": _at_most(10, SB),
    },
    KURANG: {
        "kurang_min_60": _at_least(60, K),
        "butuh_perbaikan_min_10": _at_least(10, BP),
        "sangat_baik_max_10": _at_most(10, SB),
        # The rest, beyond the Kurang, Butuh Perbaikan and Sangat Baik shares: Baik or SK.
        "rest_baik_or_sangat_kurang": _no(*(set(PredikatPegawai) - {K, BP, SB, B, SK})),
    },
    SANGAT_KURANG: {
        "sangat_kurang_min_60": _at_least(60, SK),
        "kurang_or_butuh_perbaikan_min_10": _at_least(10, K, BP),
        "sangat_baik_none": _no(SB),
        "rest_baik": _no(*(set(PredikatPegawai) - {SK, K, BP, SB, B})),
    },
}

MAX_UNIT_FOR_CHANGES = 6
MAX_UNIT = 12


def _distributions(total: int) -> Iterator[Counts]:
    """Yield every way `total` employees can be spread over the five predikat."""
    for cuts in itertools.combinations(
        range(total + len(PredikatPegawai) - 1), len(PredikatPegawai) - 1
    ):
        bounds = (-1, *cuts, total + len(PredikatPegawai) - 1)
        sizes = [bounds[i + 1] - bounds[i] - 1 for i in range(len(PredikatPegawai))]
        yield dict(zip(PredikatPegawai, sizes, strict=True))


@cache
def _all_distributions(total: int) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(d[p] for p in PredikatPegawai) for d in _distributions(total))


@cache
def _satisfying(org: PredikatOrganisasi, code: str, total: int) -> tuple[tuple[int, ...], ...]:
    """Return every distribution of `total` employees for which the constraint holds."""
    holds = ORACLE[org][code]
    return tuple(
        target
        for target in _all_distributions(total)
        if holds(dict(zip(PredikatPegawai, target, strict=True)))
    )


def _fewest_changes(org: PredikatOrganisasi, code: str, counts: Counts) -> int:
    """Brute force: the fewest employees to move to another predikat so the rule holds."""
    current = tuple(counts[p] for p in PredikatPegawai)
    return min(
        sum(max(0, have - want) for have, want in zip(current, target, strict=True))
        for target in _satisfying(org, code, sum(current))
    )


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_every_unit_up_to_12_employees_breaks_exactly_the_constraints_the_table_says(
    org: PredikatOrganisasi,
) -> None:
    for total in range(1, MAX_UNIT + 1):
        for counts in _distributions(total):
            found = [v.code for v in check_distribution(org, counts)]
            expected = [code for code, holds in ORACLE[org].items() if not holds(counts)]
            assert found == expected, counts


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_every_violation_up_to_6_employees_counts_the_fewest_employees_to_change(
    org: PredikatOrganisasi,
) -> None:
    for total in range(1, MAX_UNIT_FOR_CHANGES + 1):
        for counts in _distributions(total):
            found = {v.code: v for v in check_distribution(org, counts)}
            for code, holds in ORACLE[org].items():
                if holds(counts):
                    assert code not in found, (code, counts)
                else:
                    violation = found[code]
                    assert violation.total == total
                    assert violation.employees_to_change == _fewest_changes(org, code, counts), (
                        code,
                        counts,
                    )
            assert set(found) <= set(ORACLE[org])


# ------------------------------------- units that cannot keep their curve, and the override

SMALL_UNIT_THRESHOLD = 4


def _keeps_every_rule(org: PredikatOrganisasi, counts: Counts) -> bool:
    return all(holds(counts) for holds in ORACLE[org].values())


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_every_unit_up_to_12_employees_is_told_whether_its_curve_can_be_kept(
    org: PredikatOrganisasi,
) -> None:
    for total in range(1, MAX_UNIT + 1):
        possible = any(_keeps_every_rule(org, counts) for counts in _distributions(total))
        assert curve_is_possible(org, total) is possible, total
        assert (impossibility(org, total) is None) is possible, total


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_every_distribution_up_to_12_employees_is_overridable_only_where_the_rules_allow(
    org: PredikatOrganisasi,
) -> None:
    for total in range(1, MAX_UNIT + 1):
        distributions = list(_distributions(total))
        possible = any(_keeps_every_rule(org, counts) for counts in distributions)
        for counts in distributions:
            broken = bool(check_distribution(org, counts))
            may_override = override_allowed(org, total, small_unit_threshold=SMALL_UNIT_THRESHOLD)
            # Finalised: keeps the curve, or BKPSDM overrides (impossible curve, small unit).
            finalisable_with_override = not broken or may_override
            assert finalisable_with_override is (
                _keeps_every_rule(org, counts) or not possible or total < SMALL_UNIT_THRESHOLD
            ), (total, counts)


@pytest.mark.parametrize(
    ("org", "sizes"),
    [(KURANG, [1, 2]), (SANGAT_KURANG, [1, 2])],
)
def test_only_units_of_one_or_two_cannot_keep_a_kurang_or_sangat_kurang_curve(
    org: PredikatOrganisasi, sizes: list[int]
) -> None:
    assert [n for n in range(1, 200) if not curve_is_possible(org, n)] == sizes


@pytest.mark.parametrize("org", [ISTIMEWA, BAIK, BUTUH_PERBAIKAN])
def test_the_other_curves_can_be_kept_by_any_unit(org: PredikatOrganisasi) -> None:
    assert all(curve_is_possible(org, n) for n in range(0, 200))


def test_the_impossibility_names_the_employees_the_minimum_shares_need() -> None:
    assert impossibility(KURANG, 2) == (
        "the kurva for organisation predikat Kurang cannot be kept by a unit of 2 employees:"
        " its minimum shares need 3 employees"
    )


def test_the_small_unit_threshold_allows_an_override_below_it_only() -> None:
    assert override_allowed(BAIK, 3, small_unit_threshold=4)
    assert not override_allowed(BAIK, 4, small_unit_threshold=4)
    assert not override_allowed(BAIK, 3, small_unit_threshold=0)
    assert override_allowed(KURANG, 2, small_unit_threshold=0)


# ---------------------------------------------------------------------- rounding policy


def _nearest(percent: int, total: int) -> int:
    """Round percent% of total to the nearest whole employee, a half up (independently)."""
    exact = Fraction(percent * total, 100)
    return int(exact + Fraction(1, 2)) if exact.denominator != 1 else int(exact)


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_nearest_rounding_limits_every_share_to_the_nearest_employee(
    org: PredikatOrganisasi,
) -> None:
    for total in range(1, MAX_UNIT + 1):
        for rule in KURVA_DISTRIBUSI[org]:
            if rule.kind in (ConstraintKind.AT_MOST, ConstraintKind.AT_LEAST):
                assert rule.limit(total, CurveRounding.NEAREST) == _nearest(rule.percent, total), (
                    rule.code,
                    total,
                )


def test_nearest_rounding_lets_three_of_four_be_baik_where_exact_rounding_allows_two() -> None:
    counts = dist(b=3, bp=1)
    assert codes(BAIK, counts) == ["baik_max_70"]
    assert check_distribution(BAIK, counts, CurveRounding.NEAREST) == []


def test_the_default_rounding_is_exact() -> None:
    counts = dist(b=3, bp=1)
    assert check_distribution(BAIK, counts) == check_distribution(BAIK, counts, CurveRounding.EXACT)


# ------------------------------------------- every constraint's status, as reporting shows it


def test_istimewa_status_reports_the_limit_and_the_employees_off() -> None:
    for counts, passed, off in [
        (dist(sb=7, b=3), True, 0),
        (dist(sb=8, b=2), False, 1),
        (dist(sb=10), False, 3),
    ]:
        (status,) = distribution_report(ISTIMEWA, counts).statuses
        assert (status.passed, status.employees_off, status.limit) == (passed, off, 7), counts


def test_a_status_reports_the_exact_share_and_its_percent_to_two_decimals() -> None:
    (status,) = distribution_report(ISTIMEWA, dist(sb=2, b=1)).statuses

    assert status.share == Fraction(2, 3)
    assert str(status.share_percent) == "66.67"
    assert (status.constraint.percent, status.constraint.kind) == (70, ConstraintKind.AT_MOST)
    assert status.limit == 2
    assert status.passed


@pytest.mark.parametrize(
    ("org", "counts", "results"),
    [
        (BAIK, dist(b=7, bp=1, sb=2), [True, True]),
        (BAIK, dist(b=8, k=1, sb=1), [False, True]),
        (BAIK, dist(b=7, sb=3), [True, False]),
        (BUTUH_PERBAIKAN, dist(bp=6, sb=1, b=3), [True, True]),
        (BUTUH_PERBAIKAN, dist(bp=5, sb=1, b=4), [False, True]),
        (BUTUH_PERBAIKAN, dist(bp=6, sb=2, b=2), [True, False]),
        (KURANG, dist(k=6, bp=1, sb=1, b=2), [True, True, True, True]),
        (KURANG, dist(k=5, bp=1, sb=1, b=3), [False, True, True, True]),
        (KURANG, dist(k=7, bp=0, sb=1, sk=2), [True, False, True, True]),
        (KURANG, dist(k=6, bp=1, sb=2, b=1), [True, True, False, True]),
        (SANGAT_KURANG, dist(sk=6, k=1, b=3), [True, True, True, True]),
        (SANGAT_KURANG, dist(sk=6, bp=1, b=3), [True, True, True, True]),
        (SANGAT_KURANG, dist(sk=5, k=1, b=4), [False, True, True, True]),
        (SANGAT_KURANG, dist(sk=9, b=1), [True, False, True, True]),
        (SANGAT_KURANG, dist(sk=8, k=1, sb=1), [True, True, False, True]),
    ],
)
def test_the_report_has_one_status_per_constraint_of_the_row_in_table_order(
    org: PredikatOrganisasi, counts: dict[PredikatPegawai, int], results: list[bool]
) -> None:
    report = distribution_report(org, counts)

    assert [status.constraint for status in report.statuses] == list(KURVA_DISTRIBUSI[org])
    assert [status.passed for status in report.statuses] == results
    assert report.passed is all(results)
    assert report.violations == check_distribution(org, counts)


def test_an_at_least_limit_rounds_the_required_employees_up() -> None:
    """60% of 7 is 4.2 employees, so 5 are needed; 4 fall short by one."""
    report = distribution_report(BUTUH_PERBAIKAN, dist(bp=4, b=3))
    status = report.statuses[0]

    assert (status.limit, status.passed, status.employees_off) == (5, False, 1)
    assert report.failed == (status,)
    assert (
        status.explanation
        == "Butuh Perbaikan at least 60%: 4 of 7 (57.14%), fails by 1 employee(s)."
    )


def test_an_at_most_limit_rounds_the_allowed_employees_down() -> None:
    """70% of 9 is 6.3 employees, so at most 6 Sangat Baik."""
    (status,) = distribution_report(ISTIMEWA, dist(sb=7, b=2)).statuses

    assert (status.limit, status.employees_off) == (6, 1)


def test_the_report_counts_every_predikat_and_gives_exact_shares() -> None:
    report = distribution_report(ISTIMEWA, {SB: 2, B: 1, BP: 1})

    assert report.total == 4
    assert report.counts == dist(sb=2, b=1, bp=1)
    assert report.share_of(SB) == Fraction(1, 2)
    assert report.passed


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_an_empty_unit_passes_every_constraint_of_the_report(org: PredikatOrganisasi) -> None:
    # docs/domain.md, "Distribution curve": an empty unit breaks nothing, the Baik row's
    # "at least one" included (reporting's former copy failed it by one).
    report = distribution_report(org, {})

    assert report.passed
    assert all(s.employees_off == 0 and s.share == 0 for s in report.statuses)
    assert {str(s.share_percent) for s in report.statuses} == {"0.00"}


def test_each_constraint_is_described_as_the_table_states_it() -> None:
    described = {
        org: [rule.description for rule in rules] for org, rules in KURVA_DISTRIBUSI.items()
    }

    assert described == {
        ISTIMEWA: ["Sangat Baik at most 70%"],
        BAIK: ["Baik at most 70%", "at least 1 Butuh Perbaikan or Kurang/Misconduct"],
        BUTUH_PERBAIKAN: ["Butuh Perbaikan at least 60%", "Sangat Baik at most 10%"],
        KURANG: [
            "Kurang/Misconduct at least 60%",
            "Butuh Perbaikan at least 10%",
            "Sangat Baik at most 10%",
            "the rest Baik or Sangat Kurang",
        ],
        SANGAT_KURANG: [
            "Sangat Kurang at least 60%",
            "Butuh Perbaikan or Kurang/Misconduct at least 10%",
            "no Sangat Baik",
            "the rest Baik",
        ],
    }


def test_a_holding_constraint_is_explained_with_its_share() -> None:
    (status,) = distribution_report(ISTIMEWA, dist(sb=2, b=1)).statuses

    assert status.explanation == "Sangat Baik at most 70%: 2 of 3 (66.67%), holds."
