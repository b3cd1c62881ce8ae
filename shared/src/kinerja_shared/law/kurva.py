"""Kurva distribusi: how the organisation's predikat limits its employees' predikat.

SE MenPANRB 3/2023 (implementing PermenPANRB 6/2022), docs/domain.md "Distribution curve".
BKPSDM sets the organisation predikat for a period; a unit's period cannot be closed while
its employees' predikat break the curve for that organisation predikat, and reporting shows
each unit against its curve.

How percentages are read: every share is of *all* employees appraised in the unit for the
period. How a percentage becomes a number of employees is a local policy, `CurveRounding`:
by default (EXACT) "at most X%" rounds down and "at least X%" rounds up, which is the exact
comparison ``count * 100 <= X * total`` / ``count * 100 >= X * total``. So at most 70% of 3
employees allows 2 (66.7%), not 3; at least 60% of 3 needs 2 (60% is 1.8 employees); at
least 10% of any non-empty unit needs at least 1 employee; and at most 10% of a unit under
10 employees allows none. An empty unit (no employees) breaks nothing, the "at least one"
of the Baik row included: there is no one to distribute. A small unit may be unable to
satisfy every constraint at once (a single employee cannot be both Kurang and Butuh
Perbaikan): `curve_is_possible` says so, and `override_allowed` tells when BKPSDM may
finalise the unit anyway, with reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from kinerja_shared.law.predikat import PredikatOrganisasi, PredikatPegawai, count_predikat


class CurveRounding(StrEnum):
    """How a percentage of the curve becomes a whole number of employees (local policy)."""

    #: "At most" rounds down, "at least" rounds up: the exact comparison of shares.
    EXACT = "exact"
    #: Both round to the nearest whole employee, a half upwards.
    NEAREST = "nearest"


class ConstraintKind(StrEnum):
    """The shape of one curve constraint."""

    AT_MOST = "at_most"
    AT_LEAST = "at_least"
    AT_LEAST_ONE = "at_least_one"
    NONE_ALLOWED = "none_allowed"
    REST_ONLY = "rest_only"


@dataclass(frozen=True, slots=True)
class CurveViolation:
    """One broken curve constraint, with the numbers needed to fix it."""

    code: str
    message: str
    organisation_predikat: PredikatOrganisasi
    #: The employee predikat the constraint counts (for REST_ONLY: those not allowed).
    predikat: frozenset[PredikatPegawai]
    #: Employees currently in those predikat.
    actual: int
    #: Employees in the unit.
    total: int
    #: Employees allowed (at most, none, rest) or required (at least, at least one).
    limit: int
    #: The fewest employees whose predikat must change to satisfy this constraint alone.
    employees_to_change: int


def _labels(predikat: frozenset[PredikatPegawai]) -> str:
    """Join the labels of `predikat`, best first, with 'or'."""
    ordered = sorted(predikat, key=lambda item: item.rank, reverse=True)
    return " or ".join(item.label for item in ordered)


def _employees(count: int) -> str:
    """Return '1 employee' or 'N employees'."""
    return f"{count} employee" if count == 1 else f"{count} employees"


def _share(count: int, total: int) -> str:
    """Format `count` of `total` with its percentage for a message (display only)."""
    return f"{count} of {total} ({count * 100 / total:.1f}%)"


@dataclass(frozen=True, slots=True)
class CurveConstraint:
    """One constraint of the kurva distribusi on the employees' predikat."""

    code: str
    kind: ConstraintKind
    #: The predikat counted; for REST_ONLY, the predikat not allowed in the rest.
    predikat: frozenset[PredikatPegawai]
    #: The percentage for AT_MOST and AT_LEAST; unused otherwise.
    percent: int = 0
    #: For REST_ONLY: the predikat the rest may have, named in the message.
    rest_allowed: frozenset[PredikatPegawai] = frozenset()

    @property
    def is_lower_bound(self) -> bool:
        """Whether the constraint requires employees (rather than limiting them)."""
        return self.kind in (ConstraintKind.AT_LEAST, ConstraintKind.AT_LEAST_ONE)

    @property
    def description(self) -> str:
        """State the constraint as the table does, e.g. 'Sangat Baik at most 70%'."""
        names = _labels(self.predikat)
        if self.kind is ConstraintKind.AT_MOST:
            return f"{names} at most {self.percent}%"
        if self.kind is ConstraintKind.AT_LEAST:
            return f"{names} at least {self.percent}%"
        if self.kind is ConstraintKind.AT_LEAST_ONE:
            return f"at least 1 {names}"
        if self.kind is ConstraintKind.NONE_ALLOWED:
            return f"no {names}"
        return f"the rest {_labels(self.rest_allowed)}"

    def limit(self, total: int, rounding: CurveRounding = CurveRounding.EXACT) -> int:
        """Return the employees allowed (upper bounds) or required (lower bounds)."""
        if self.kind in (ConstraintKind.AT_MOST, ConstraintKind.AT_LEAST):
            if rounding is CurveRounding.NEAREST:
                return (2 * self.percent * total + 100) // 200  # nearest, a half up
            if self.kind is ConstraintKind.AT_MOST:
                return (self.percent * total) // 100
            return -((-self.percent * total) // 100)  # ceiling, in integers
        if self.kind is ConstraintKind.AT_LEAST_ONE:
            return 1
        return 0

    def status(
        self,
        organisation: PredikatOrganisasi,
        counts: Mapping[PredikatPegawai, int],
        rounding: CurveRounding = CurveRounding.EXACT,
    ) -> ConstraintStatus:
        """Return how `counts` stand against this constraint (it holds in an empty unit)."""
        total = sum(counts.values())
        count = sum(counts.get(item, 0) for item in self.predikat)
        limit = self.limit(total, rounding)
        off = limit - count if self.is_lower_bound else count - limit
        return ConstraintStatus(
            constraint=self,
            organisation_predikat=organisation,
            count=count,
            total=total,
            limit=limit,
            employees_off=max(0, off) if total else 0,
        )

    def check(
        self,
        organisation: PredikatOrganisasi,
        counts: Mapping[PredikatPegawai, int],
        rounding: CurveRounding = CurveRounding.EXACT,
    ) -> CurveViolation | None:
        """Return the violation of this constraint by `counts`, or None when it holds."""
        return self.status(organisation, counts, rounding).violation

    def message(
        self,
        organisation: PredikatOrganisasi,
        actual: int,
        total: int,
        limit: int,
        to_change: int,
    ) -> str:
        """Explain a violation in English, naming predikat by their Indonesian labels."""
        when = f"when the organisation predikat is {organisation.label}"
        names = _labels(self.predikat)
        if self.kind is ConstraintKind.AT_MOST:
            return (
                f"{names} may be at most {self.percent}% of employees {when}:"
                f" found {_share(actual, total)}, at most {_employees(limit)} allowed;"
                f" {_employees(to_change)} too many."
            )
        if self.kind is ConstraintKind.AT_LEAST:
            return (
                f"{names} must be at least {self.percent}% of employees {when}:"
                f" found {_share(actual, total)}, at least {_employees(limit)} needed;"
                f" {_employees(to_change)} short."
            )
        if self.kind is ConstraintKind.AT_LEAST_ONE:
            return (
                f"At least one employee must be {names} {when}: found none of {total};"
                f" {_employees(to_change)} short."
            )
        if self.kind is ConstraintKind.NONE_ALLOWED:
            return (
                f"No employee may be {names} {when}: found {_share(actual, total)};"
                f" {_employees(to_change)} too many."
            )
        return (
            f"Employees outside the named shares may only be {_labels(self.rest_allowed)}"
            f" {when}: found {_share(actual, total)} {names}; {_employees(to_change)} too many."
        )


@dataclass(frozen=True, slots=True)
class ConstraintStatus:
    """How a unit's predikat stand against one constraint: counted, limit, by how much off."""

    constraint: CurveConstraint
    organisation_predikat: PredikatOrganisasi
    #: Employees in the constraint's predikat.
    count: int
    #: Employees in the unit.
    total: int
    #: Employees allowed (upper bounds) or required (lower bounds).
    limit: int
    #: The fewest employees whose predikat must change for the constraint to hold (0: holds).
    employees_off: int

    @property
    def passed(self) -> bool:
        """Whether the constraint holds."""
        return self.employees_off == 0

    @property
    def share(self) -> Fraction:
        """The exact share of the unit in the constraint's predikat (0 in an empty unit)."""
        return Fraction(self.count, self.total) if self.total else Fraction(0)

    @property
    def share_percent(self) -> Decimal:
        """The share as a percentage with two decimals, a half rounded up (display only)."""
        if not self.total:
            return Decimal("0.00")
        hundredths = (2 * self.count * 10_000 + self.total) // (2 * self.total)
        return Decimal(hundredths).scaleb(-2)

    @property
    def explanation(self) -> str:
        """One sentence on the constraint and how the unit stands against it."""
        status = "holds" if self.passed else f"fails by {self.employees_off} employee(s)"
        return (
            f"{self.constraint.description}: {self.count} of {self.total} "
            f"({self.share_percent}%), {status}."
        )

    @property
    def violation(self) -> CurveViolation | None:
        """The violation with its message, or None when the constraint holds."""
        if self.passed:
            return None
        constraint = self.constraint
        return CurveViolation(
            code=constraint.code,
            message=constraint.message(
                self.organisation_predikat, self.count, self.total, self.limit, self.employees_off
            ),
            organisation_predikat=self.organisation_predikat,
            predikat=constraint.predikat,
            actual=self.count,
            total=self.total,
            limit=self.limit,
            employees_to_change=self.employees_off,
        )


def _rest_only(
    code: str, allowed: frozenset[PredikatPegawai], others: tuple[CurveConstraint, ...]
) -> CurveConstraint:
    """Build "the rest only `allowed`": no predikat outside the row's named ones and `allowed`.

    With the table as published this is implied by the row's other constraints (every
    predikat is named somewhere in those rows), so it never fails on its own; it is kept
    so the table is encoded in full and stays correct if the table changes.
    """
    named = frozenset().union(*(constraint.predikat for constraint in others))
    return CurveConstraint(
        code=code,
        kind=ConstraintKind.REST_ONLY,
        predikat=frozenset(PredikatPegawai) - named - allowed,
        rest_allowed=allowed,
    )


_SB = frozenset({PredikatPegawai.SANGAT_BAIK})
_B = frozenset({PredikatPegawai.BAIK})
_BP = frozenset({PredikatPegawai.BUTUH_PERBAIKAN})
_K = frozenset({PredikatPegawai.KURANG})
_SK = frozenset({PredikatPegawai.SANGAT_KURANG})

_KURANG_NAMED = (
    CurveConstraint("kurang_min_60", ConstraintKind.AT_LEAST, _K, 60),
    CurveConstraint("butuh_perbaikan_min_10", ConstraintKind.AT_LEAST, _BP, 10),
    CurveConstraint("sangat_baik_max_10", ConstraintKind.AT_MOST, _SB, 10),
)
_SANGAT_KURANG_NAMED = (
    CurveConstraint("sangat_kurang_min_60", ConstraintKind.AT_LEAST, _SK, 60),
    CurveConstraint("kurang_or_butuh_perbaikan_min_10", ConstraintKind.AT_LEAST, _K | _BP, 10),
    CurveConstraint("sangat_baik_none", ConstraintKind.NONE_ALLOWED, _SB),
)

#: The kurva distribusi table (SE MenPANRB 3/2023), one tuple of constraints per row.
KURVA_DISTRIBUSI: Mapping[PredikatOrganisasi, tuple[CurveConstraint, ...]] = MappingProxyType(
    {
        PredikatOrganisasi.ISTIMEWA: (
            CurveConstraint("sangat_baik_max_70", ConstraintKind.AT_MOST, _SB, 70),
        ),
        PredikatOrganisasi.BAIK: (
            CurveConstraint("baik_max_70", ConstraintKind.AT_MOST, _B, 70),
            CurveConstraint(
                "butuh_perbaikan_or_kurang_min_one", ConstraintKind.AT_LEAST_ONE, _BP | _K
            ),
        ),
        PredikatOrganisasi.BUTUH_PERBAIKAN: (
            CurveConstraint("butuh_perbaikan_min_60", ConstraintKind.AT_LEAST, _BP, 60),
            CurveConstraint("sangat_baik_max_10", ConstraintKind.AT_MOST, _SB, 10),
        ),
        PredikatOrganisasi.KURANG: (
            *_KURANG_NAMED,
            _rest_only("rest_baik_or_sangat_kurang", _B | _SK, _KURANG_NAMED),
        ),
        PredikatOrganisasi.SANGAT_KURANG: (
            *_SANGAT_KURANG_NAMED,
            _rest_only("rest_baik", _B, _SANGAT_KURANG_NAMED),
        ),
    }
)


@dataclass(frozen=True, slots=True)
class DistributionReport:
    """A unit's predikat counts checked against every constraint of its organisation's curve."""

    organisation_predikat: PredikatOrganisasi
    #: Employees per predikat, every predikat present.
    counts: Mapping[PredikatPegawai, int]
    total: int
    statuses: tuple[ConstraintStatus, ...]

    @property
    def passed(self) -> bool:
        """True when every constraint holds."""
        return all(status.passed for status in self.statuses)

    @property
    def failed(self) -> tuple[ConstraintStatus, ...]:
        """The constraints that do not hold."""
        return tuple(status for status in self.statuses if not status.passed)

    @property
    def violations(self) -> list[CurveViolation]:
        """The broken constraints with their messages, in the order of the table."""
        return [status.violation for status in self.statuses if status.violation is not None]

    def share_of(self, predikat: PredikatPegawai) -> Fraction:
        """The exact share of one predikat (0 in an empty unit)."""
        return Fraction(self.counts[predikat], self.total) if self.total else Fraction(0)


def distribution_report(
    organisation: PredikatOrganisasi,
    counts: Mapping[PredikatPegawai, int],
    rounding: CurveRounding = CurveRounding.EXACT,
) -> DistributionReport:
    """Check employees' predikat counts against every constraint of the organisation's curve.

    `counts` maps each predikat to its number of employees; a missing predikat counts 0.
    Counts from a list of predikat: `kinerja_shared.law.predikat.count_predikat`.
    """
    negative = [item for item, count in counts.items() if count < 0]
    if negative:
        raise ValueError(f"predikat counts cannot be negative: {_labels(frozenset(negative))}")
    complete = count_predikat(counts)
    return DistributionReport(
        organisation_predikat=organisation,
        counts=MappingProxyType(complete),
        total=sum(complete.values()),
        statuses=tuple(
            constraint.status(organisation, complete, rounding)
            for constraint in KURVA_DISTRIBUSI[organisation]
        ),
    )


def check_distribution(
    organisation: PredikatOrganisasi,
    counts: Mapping[PredikatPegawai, int],
    rounding: CurveRounding = CurveRounding.EXACT,
) -> list[CurveViolation]:
    """Return every curve constraint the employees' predikat counts break (empty: fine)."""
    return distribution_report(organisation, counts, rounding).violations


def _check_table_shape() -> None:
    """`curve_is_possible` relies on the table's shape: fail at import if it changes.

    In every row the groups that require employees are disjoint, and none of them is
    limited by another constraint of the row, so extra employees can always join one.
    """
    for row in KURVA_DISTRIBUSI.values():
        required = [rule.predikat for rule in row if rule.is_lower_bound]
        limited = frozenset().union(*(rule.predikat for rule in row if not rule.is_lower_bound))
        for index, group in enumerate(required):
            assert not group & limited, row
            assert all(not group & other for other in required[index + 1 :]), row


_check_table_shape()


def required_employees(
    organisation: PredikatOrganisasi,
    total: int,
    rounding: CurveRounding = CurveRounding.EXACT,
) -> int:
    """The employees the row's "at least" constraints need together in a unit of `total`."""
    return sum(
        rule.limit(total, rounding)
        for rule in KURVA_DISTRIBUSI[organisation]
        if rule.is_lower_bound
    )


def curve_is_possible(
    organisation: PredikatOrganisasi,
    total: int,
    rounding: CurveRounding = CurveRounding.EXACT,
) -> bool:
    """Tell whether any distribution of `total` employees keeps the curve.

    The groups a row requires are disjoint and unlimited (checked at import), so the curve
    can be kept exactly when they fit in the unit together and the employees left over
    can go somewhere: into a required group, or into a predikat no constraint limits.
    """
    if total == 0:
        return True
    row = KURVA_DISTRIBUSI[organisation]
    needed = required_employees(organisation, total, rounding)
    if needed > total:
        return False
    limited = frozenset().union(*(rule.predikat for rule in row if not rule.is_lower_bound))
    has_room = any(rule.is_lower_bound for rule in row) or bool(
        frozenset(PredikatPegawai) - limited
    )
    return needed == total or has_room


def impossibility(
    organisation: PredikatOrganisasi,
    total: int,
    rounding: CurveRounding = CurveRounding.EXACT,
) -> str | None:
    """Explain why no distribution of `total` employees keeps the curve (None: one does)."""
    if curve_is_possible(organisation, total, rounding):
        return None
    return (
        f"the kurva for organisation predikat {organisation.label} cannot be kept by a unit"
        f" of {_employees(total)}: its minimum shares need"
        f" {_employees(required_employees(organisation, total, rounding))}"
    )


def override_allowed(
    organisation: PredikatOrganisasi,
    total: int,
    *,
    rounding: CurveRounding = CurveRounding.EXACT,
    small_unit_threshold: int,
) -> bool:
    """Tell whether BKPSDM may finalise a unit that breaks the curve, with reasons.

    Only where the curve cannot be kept (`curve_is_possible`) or the unit has fewer than
    `small_unit_threshold` employees (local policy, docs/domain.md "Distribution curve").
    """
    return total < small_unit_threshold or not curve_is_possible(organisation, total, rounding)
