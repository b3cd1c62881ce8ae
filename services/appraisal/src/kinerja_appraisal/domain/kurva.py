"""Kurva distribusi: how the organisation's predikat limits its employees' predikat.

SE MenPANRB 3/2023 (implementing PermenPANRB 6/2022). BKPSDM sets the organisation
predikat for a period; a unit's period cannot be closed while its employees' predikat
break the curve for that organisation predikat.

How percentages are read (docs/domain.md, "Distribution curve"): every share is of *all*
employees appraised in the unit for the period. How a percentage becomes a number of
employees is a local policy, `CurveRounding`: by default (EXACT) "at most X%" rounds down
and "at least X%" rounds up, which is the exact comparison ``count * 100 <= X * total`` /
``count * 100 >= X * total``. So at most 70% of 3 employees allows 2 (66.7%), not 3;
at least 60% of 3 needs 2 (60% is 1.8 employees); at least 10% of any non-empty unit
needs at least 1 employee; and at most 10% of a unit under 10 employees allows none.
An empty unit (no employees) breaks nothing. A small unit may be unable to satisfy
every constraint at once (a single employee cannot be both Kurang and Butuh Perbaikan):
`curve_is_possible` says so, and `override_allowed` tells when BKPSDM may finalise the
unit anyway, with reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from kinerja_appraisal.domain.predikat import Predikat


class OrganisationPredikat(StrEnum):
    """Predikat Kinerja Organisasi, set by BKPSDM for a unit and period."""

    ISTIMEWA = "istimewa"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def label(self) -> str:
        """Return the Indonesian label, e.g. 'Istimewa'."""
        return _ORGANISATION_LABELS[self]


_ORGANISATION_LABELS: Mapping[OrganisationPredikat, str] = MappingProxyType(
    {
        OrganisationPredikat.ISTIMEWA: "Istimewa",
        OrganisationPredikat.BAIK: "Baik",
        OrganisationPredikat.BUTUH_PERBAIKAN: "Butuh Perbaikan",
        OrganisationPredikat.KURANG: "Kurang",
        OrganisationPredikat.SANGAT_KURANG: "Sangat Kurang",
    }
)


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
    organisation_predikat: OrganisationPredikat
    #: The employee predikat the constraint counts (for REST_ONLY: those not allowed).
    predikat: frozenset[Predikat]
    #: Employees currently in those predikat.
    actual: int
    #: Employees in the unit.
    total: int
    #: Employees allowed (at most, none, rest) or required (at least, at least one).
    limit: int
    #: The fewest employees whose predikat must change to satisfy this constraint alone.
    employees_to_change: int


def _labels(predikat: frozenset[Predikat]) -> str:
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
    predikat: frozenset[Predikat]
    #: The percentage for AT_MOST and AT_LEAST; unused otherwise.
    percent: int = 0
    #: For REST_ONLY: the predikat the rest may have, named in the message.
    rest_allowed: frozenset[Predikat] = frozenset()

    @property
    def is_lower_bound(self) -> bool:
        """Whether the constraint requires employees (rather than limiting them)."""
        return self.kind in (ConstraintKind.AT_LEAST, ConstraintKind.AT_LEAST_ONE)

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

    def check(
        self,
        organisation: OrganisationPredikat,
        counts: Mapping[Predikat, int],
        rounding: CurveRounding = CurveRounding.EXACT,
    ) -> CurveViolation | None:
        """Return the violation of this constraint by `counts`, or None when it holds."""
        total = sum(counts.values())
        if total == 0:
            return None
        actual = sum(counts.get(item, 0) for item in self.predikat)
        limit = self.limit(total, rounding)
        to_change = limit - actual if self.is_lower_bound else actual - limit
        if to_change <= 0:
            return None
        return CurveViolation(
            code=self.code,
            message=self._message(organisation, actual, total, limit, to_change),
            organisation_predikat=organisation,
            predikat=self.predikat,
            actual=actual,
            total=total,
            limit=limit,
            employees_to_change=to_change,
        )

    def _message(
        self,
        organisation: OrganisationPredikat,
        actual: int,
        total: int,
        limit: int,
        to_change: int,
    ) -> str:
        """Explain the violation in English, naming predikat by their Indonesian labels."""
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


def _rest_only(
    code: str, allowed: frozenset[Predikat], others: tuple[CurveConstraint, ...]
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
        predikat=frozenset(Predikat) - named - allowed,
        rest_allowed=allowed,
    )


_SB = frozenset({Predikat.SANGAT_BAIK})
_B = frozenset({Predikat.BAIK})
_BP = frozenset({Predikat.BUTUH_PERBAIKAN})
_K = frozenset({Predikat.KURANG})
_SK = frozenset({Predikat.SANGAT_KURANG})

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
CURVE_RULES: Mapping[OrganisationPredikat, tuple[CurveConstraint, ...]] = MappingProxyType(
    {
        OrganisationPredikat.ISTIMEWA: (
            CurveConstraint("sangat_baik_max_70", ConstraintKind.AT_MOST, _SB, 70),
        ),
        OrganisationPredikat.BAIK: (
            CurveConstraint("baik_max_70", ConstraintKind.AT_MOST, _B, 70),
            CurveConstraint(
                "butuh_perbaikan_or_kurang_min_one", ConstraintKind.AT_LEAST_ONE, _BP | _K
            ),
        ),
        OrganisationPredikat.BUTUH_PERBAIKAN: (
            CurveConstraint("butuh_perbaikan_min_60", ConstraintKind.AT_LEAST, _BP, 60),
            CurveConstraint("sangat_baik_max_10", ConstraintKind.AT_MOST, _SB, 10),
        ),
        OrganisationPredikat.KURANG: (
            *_KURANG_NAMED,
            _rest_only("rest_baik_or_sangat_kurang", _B | _SK, _KURANG_NAMED),
        ),
        OrganisationPredikat.SANGAT_KURANG: (
            *_SANGAT_KURANG_NAMED,
            _rest_only("rest_baik", _B, _SANGAT_KURANG_NAMED),
        ),
    }
)


def check_distribution(
    org_predikat: OrganisationPredikat,
    counts: Mapping[Predikat, int],
    rounding: CurveRounding = CurveRounding.EXACT,
) -> list[CurveViolation]:
    """Return every curve constraint the employees' predikat counts break (empty: fine).

    `counts` maps each predikat to its number of employees; a missing predikat counts 0.
    """
    negative = [item for item, count in counts.items() if count < 0]
    if negative:
        raise ValueError(f"predikat counts cannot be negative: {_labels(frozenset(negative))}")
    violations = (
        constraint.check(org_predikat, counts, rounding) for constraint in CURVE_RULES[org_predikat]
    )
    return [violation for violation in violations if violation is not None]


def _check_table_shape() -> None:
    """`curve_is_possible` relies on the table's shape: fail at import if it changes.

    In every row the groups that require employees are disjoint, and none of them is
    limited by another constraint of the row, so extra employees can always join one.
    """
    for row in CURVE_RULES.values():
        required = [rule.predikat for rule in row if rule.is_lower_bound]
        limited = frozenset().union(*(rule.predikat for rule in row if not rule.is_lower_bound))
        for index, group in enumerate(required):
            assert not group & limited, row
            assert all(not group & other for other in required[index + 1 :]), row


_check_table_shape()


def required_employees(
    org_predikat: OrganisationPredikat,
    total: int,
    rounding: CurveRounding = CurveRounding.EXACT,
) -> int:
    """The employees the row's "at least" constraints need together in a unit of `total`."""
    return sum(
        rule.limit(total, rounding) for rule in CURVE_RULES[org_predikat] if rule.is_lower_bound
    )


def curve_is_possible(
    org_predikat: OrganisationPredikat,
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
    row = CURVE_RULES[org_predikat]
    needed = required_employees(org_predikat, total, rounding)
    if needed > total:
        return False
    limited = frozenset().union(*(rule.predikat for rule in row if not rule.is_lower_bound))
    has_room = any(rule.is_lower_bound for rule in row) or bool(frozenset(Predikat) - limited)
    return needed == total or has_room


def impossibility(
    org_predikat: OrganisationPredikat,
    total: int,
    rounding: CurveRounding = CurveRounding.EXACT,
) -> str | None:
    """Explain why no distribution of `total` employees keeps the curve (None: one does)."""
    if curve_is_possible(org_predikat, total, rounding):
        return None
    return (
        f"the kurva for organisation predikat {org_predikat.label} cannot be kept by a unit"
        f" of {_employees(total)}: its minimum shares need"
        f" {_employees(required_employees(org_predikat, total, rounding))}"
    )


def override_allowed(
    org_predikat: OrganisationPredikat,
    total: int,
    *,
    rounding: CurveRounding = CurveRounding.EXACT,
    small_unit_threshold: int,
) -> bool:
    """Tell whether BKPSDM may finalise a unit that breaks the curve, with reasons.

    Only where the curve cannot be kept (`curve_is_possible`) or the unit has fewer than
    `small_unit_threshold` employees (local policy, docs/domain.md "Distribution curve").
    """
    return total < small_unit_threshold or not curve_is_possible(org_predikat, total, rounding)
