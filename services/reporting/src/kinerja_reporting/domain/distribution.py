"""Predikat distribution of a unit against the kurva distribusi (SE MenPANRB 3/2023).

Reporting's own, self-contained copy of the curve (appraisal enforces its copy when a
period closes). All shares are compared in exact integer arithmetic: "at most p%" holds
when ``count * 100 <= p * total`` and "at least p%" when ``count * 100 >= p * total``.
Each status also says by how many employees the constraint fails: for "at most" the
excess over ``floor(p * total / 100)``, for "at least" the shortfall below
``ceil(p * total / 100)``. The curve's "the rest any / the rest Baik or Sangat Kurang /
the rest Baik" clauses add no limit of their own once the listed limits hold, so they are
not separate constraints. With no employees, percentage limits hold trivially and the
"at least one" limit of the Baik curve fails by one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from kinerja_reporting.domain.predikat import Predikat, PredikatOrganisasi, count_predikat
from kinerja_reporting.domain.rounding import as_percent, share


class Bound(StrEnum):
    """Direction of a curve limit."""

    AT_MOST_PERCENT = "at_most_percent"
    AT_LEAST_PERCENT = "at_least_percent"
    AT_LEAST_COUNT = "at_least_count"


@dataclass(frozen=True, slots=True)
class CurveConstraint:
    """One limit of the curve on the share (or count) of a group of predikat."""

    predikat: frozenset[Predikat]
    bound: Bound
    limit: int

    @property
    def description(self) -> str:
        """Readable statement of the limit."""
        names = " or ".join(p.label for p in Predikat if p in self.predikat)
        if self.bound is Bound.AT_MOST_PERCENT:
            return f"{names} at most {self.limit}%"
        if self.bound is Bound.AT_LEAST_PERCENT:
            return f"{names} at least {self.limit}%"
        return f"at least {self.limit} {names}"


def _group(*predikat: Predikat) -> frozenset[Predikat]:
    return frozenset(predikat)


_SB = Predikat.SANGAT_BAIK
_B = Predikat.BAIK
_BP = Predikat.BUTUH_PERBAIKAN
_K = Predikat.KURANG
_SK = Predikat.SANGAT_KURANG

KURVA_DISTRIBUSI: Mapping[PredikatOrganisasi, tuple[CurveConstraint, ...]] = {
    PredikatOrganisasi.ISTIMEWA: (CurveConstraint(_group(_SB), Bound.AT_MOST_PERCENT, 70),),
    PredikatOrganisasi.BAIK: (
        CurveConstraint(_group(_B), Bound.AT_MOST_PERCENT, 70),
        CurveConstraint(_group(_BP, _K), Bound.AT_LEAST_COUNT, 1),
    ),
    PredikatOrganisasi.BUTUH_PERBAIKAN: (
        CurveConstraint(_group(_BP), Bound.AT_LEAST_PERCENT, 60),
        CurveConstraint(_group(_SB), Bound.AT_MOST_PERCENT, 10),
    ),
    PredikatOrganisasi.KURANG: (
        CurveConstraint(_group(_K), Bound.AT_LEAST_PERCENT, 60),
        CurveConstraint(_group(_BP), Bound.AT_LEAST_PERCENT, 10),
        CurveConstraint(_group(_SB), Bound.AT_MOST_PERCENT, 10),
    ),
    PredikatOrganisasi.SANGAT_KURANG: (
        CurveConstraint(_group(_SK), Bound.AT_LEAST_PERCENT, 60),
        CurveConstraint(_group(_K, _BP), Bound.AT_LEAST_PERCENT, 10),
        CurveConstraint(_group(_SB), Bound.AT_MOST_PERCENT, 0),
    ),
}
"""The curve: organisation predikat to the limits it puts on employees' predikat."""


@dataclass(frozen=True, slots=True)
class ConstraintStatus:
    """Actual share of a constraint's predikat against its limit."""

    constraint: CurveConstraint
    count: int
    total: int
    share: Fraction
    share_percent: Decimal
    limit_count: int
    passed: bool
    employees_off: int

    @property
    def explanation(self) -> str:
        """One sentence on the constraint and how the unit stands against it."""
        status = "holds" if self.passed else f"fails by {self.employees_off} employee(s)"
        return (
            f"{self.constraint.description}: {self.count} of {self.total} "
            f"({self.share_percent}%), {status}."
        )


@dataclass(frozen=True, slots=True)
class DistributionReport:
    """A unit's predikat counts for a period checked against its organisation's curve."""

    organisation_predikat: PredikatOrganisasi
    counts: Mapping[Predikat, int]
    total: int
    statuses: tuple[ConstraintStatus, ...]

    @property
    def passed(self) -> bool:
        """True when every constraint holds."""
        return all(s.passed for s in self.statuses)

    @property
    def failed(self) -> tuple[ConstraintStatus, ...]:
        """The constraints that do not hold."""
        return tuple(s for s in self.statuses if not s.passed)

    def share_of(self, predikat: Predikat) -> Fraction:
        """Exact share of one predikat."""
        return share(self.counts[predikat], self.total)


def _ceil_div(numerator: int, denominator: int) -> int:
    return -(-numerator // denominator)


def check_constraint(
    constraint: CurveConstraint, counts: Mapping[Predikat, int]
) -> ConstraintStatus:
    """Evaluate one curve constraint on predikat counts."""
    total = sum(counts.values())
    count = sum(counts.get(p, 0) for p in constraint.predikat)
    if constraint.bound is Bound.AT_MOST_PERCENT:
        limit_count = constraint.limit * total // 100
        passed = count * 100 <= constraint.limit * total
        off = max(0, count - limit_count)
    elif constraint.bound is Bound.AT_LEAST_PERCENT:
        limit_count = _ceil_div(constraint.limit * total, 100)
        passed = count * 100 >= constraint.limit * total
        off = max(0, limit_count - count)
    else:
        limit_count = constraint.limit
        passed = count >= limit_count
        off = max(0, limit_count - count)
    exact = share(count, total)
    return ConstraintStatus(
        constraint=constraint,
        count=count,
        total=total,
        share=exact,
        share_percent=as_percent(exact),
        limit_count=limit_count,
        passed=passed,
        employees_off=off,
    )


def check_distribution(
    ratings: Iterable[Predikat] | Mapping[Predikat, int],
    organisation_predikat: PredikatOrganisasi,
) -> DistributionReport:
    """Check a unit's predikat (list or counts) against the curve of its organisation."""
    counts = count_predikat(ratings)
    return DistributionReport(
        organisation_predikat=organisation_predikat,
        counts=counts,
        total=sum(counts.values()),
        statuses=tuple(
            check_constraint(c, counts) for c in KURVA_DISTRIBUSI[organisation_predikat]
        ),
    )
