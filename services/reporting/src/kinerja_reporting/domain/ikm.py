"""Indeks Kepuasan Masyarakat (IKM) per PermenPANRB 14/2017, computed exactly.

Rules implemented here:

- NRR of an element = sum of its scores / number of respondents who answered it.
- Weighted NRR = NRR x 1/9. The regulation prints the weight rounded as 0,111; this module
  uses the exact fraction 1/9 so that a perfect score is exactly 100.00.
- IKM = (sum of weighted NRR) x 25, rounded to two decimals with ROUND_HALF_UP applied to
  the exact value (never to intermediate, already-rounded numbers).
- Quality band, compared on the two-decimal value: A >= 88.31, B >= 76.61, C >= 65.00,
  otherwise D.

Elements nobody answered (interpretation; the regulation assumes all nine are answered):
the index is computed over the k answered elements with weight 1/k, so that a perfect score
is still 100.00 and an unanswered element neither drags the index down nor props it up.
The result lists the missing elements (``IkmResult.missing``) and ``IkmResult.complete`` is
false, so a view can mark the index as "computed over k of 9 elements". With no answered
element at all there is no index: ``ikm`` and ``band`` are ``None``.

Roll-up of units (``ElementTotals.merge``) pools the respondents of the units and computes
the index from the pooled sums; it is not an average of the units' indices.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import lcm
from typing import Any

from kinerja_reporting.domain.rounding import round_half_up_units
from kinerja_shared.law.skm import MAX_SCORE, MIN_SCORE, Unsur

IKM_SCALE = 25
#: The stored counters of each unsur, in order: (sum of scores, respondents who answered).
_COUNTER_NAMES = tuple((f"s{u.position + 1}", f"n{u.position + 1}") for u in Unsur)
ELEMENT_COUNT = 9


Answers = Mapping[Unsur, int] | Mapping[str, int]
"""One respondent's answers: element code ("U1".."U9") to score 1-4; omitted = unanswered."""


class InvalidAnswers(ValueError):
    """Raised when a set of survey answers cannot be counted."""


class TotalsUnderflow(ValueError):
    """Raised when subtracting answers that were never added."""


def normalise_answers(answers: Answers) -> dict[Unsur, int]:
    """Validate one respondent's answers and key them by ``Unsur``."""
    result: dict[Unsur, int] = {}
    for key, score in answers.items():
        try:
            unsur = Unsur(key)
        except ValueError:
            raise InvalidAnswers(f"unknown survey element {key!r}; expected U1..U9") from None
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidAnswers(f"score of {unsur} must be an integer, got {score!r}")
        if not MIN_SCORE <= score <= MAX_SCORE:
            raise InvalidAnswers(
                f"score of {unsur} must be between {MIN_SCORE} and {MAX_SCORE}, got {score}"
            )
        result[unsur] = score
    if not result:
        raise InvalidAnswers("a survey response must answer at least one element")
    return result


@dataclass(frozen=True, slots=True)
class ElementTally:
    """Sum of scores and number of respondents who answered one element."""

    score_sum: int = 0
    answered: int = 0

    def __post_init__(self) -> None:
        if self.answered < 0:
            raise TotalsUnderflow("answered count must not be negative")
        if not MIN_SCORE * self.answered <= self.score_sum <= MAX_SCORE * self.answered:
            raise TotalsUnderflow(
                f"score sum {self.score_sum} impossible for {self.answered} answers"
            )

    @property
    def nrr(self) -> Fraction | None:
        """Exact NRR (mean score), or ``None`` when nobody answered."""
        return Fraction(self.score_sum, self.answered) if self.answered else None


def _empty_tallies() -> tuple[ElementTally, ...]:
    return tuple(ElementTally() for _ in Unsur)


@dataclass(frozen=True, slots=True)
class ElementTotals:
    """Incremental, immutable accumulator of survey answers for one scope (unit, period)."""

    respondents: int = 0
    tallies: tuple[ElementTally, ...] = field(default_factory=_empty_tallies)

    def __post_init__(self) -> None:
        if len(self.tallies) != ELEMENT_COUNT:
            raise ValueError(f"expected {ELEMENT_COUNT} element tallies, got {len(self.tallies)}")
        if self.respondents < 0:
            raise TotalsUnderflow("respondent count must not be negative")
        for unsur, tally in zip(Unsur, self.tallies, strict=True):
            if tally.answered > self.respondents:
                raise TotalsUnderflow(
                    f"{unsur} answered {tally.answered} times by {self.respondents} respondents"
                )

    @classmethod
    def from_counters(cls, counters: Mapping[Any, int]) -> ElementTotals:
        """Totals from stored counters: ``respondents`` and, per unsur N, ``sN`` (the sum of
        its scores) and ``nN`` (the respondents who answered it)."""
        return cls(
            respondents=counters["respondents"],
            tallies=tuple(ElementTally(counters[s], counters[n]) for s, n in _COUNTER_NAMES),
        )

    @classmethod
    def from_answers(cls, responses: Iterable[Answers]) -> ElementTotals:
        """Recompute totals from scratch out of every respondent's answers."""
        totals = cls()
        for answers in responses:
            totals = totals.add(answers)
        return totals

    @classmethod
    def combine(cls, parts: Iterable[ElementTotals]) -> ElementTotals:
        """Merge many totals (for example the units under a parent unit)."""
        totals = cls()
        for part in parts:
            totals = totals.merge(part)
        return totals

    def of(self, unsur: Unsur) -> ElementTally:
        """Tally of one element."""
        return self.tallies[unsur.position]

    def add(self, answers: Answers) -> ElementTotals:
        """Count one respondent's answers."""
        return self._apply(normalise_answers(answers), 1)

    def subtract(self, answers: Answers) -> ElementTotals:
        """Remove one respondent's answers (feedback withdrawn or rejected in moderation)."""
        if self.respondents == 0:
            raise TotalsUnderflow("cannot subtract from totals with no respondents")
        return self._apply(normalise_answers(answers), -1)

    def merge(self, other: ElementTotals) -> ElementTotals:
        """Pool two disjoint sets of respondents."""
        return ElementTotals(
            respondents=self.respondents + other.respondents,
            tallies=tuple(
                ElementTally(a.score_sum + b.score_sum, a.answered + b.answered)
                for a, b in zip(self.tallies, other.tallies, strict=True)
            ),
        )

    def _apply(self, answers: dict[Unsur, int], sign: int) -> ElementTotals:
        tallies = list(self.tallies)
        for unsur, score in answers.items():
            old = tallies[unsur.position]
            tallies[unsur.position] = ElementTally(
                old.score_sum + sign * score, old.answered + sign
            )
        return ElementTotals(respondents=self.respondents + sign, tallies=tuple(tallies))


class MutuPelayanan(StrEnum):
    """Service quality band (mutu pelayanan) derived from the IKM."""

    A = "A"
    B = "B"
    C = "C"
    D = "D"

    @property
    def label(self) -> str:
        """Indonesian name of the band (kinerja unit pelayanan)."""
        return _BAND_LABELS[self]


_BAND_LABELS: dict[MutuPelayanan, str] = {
    MutuPelayanan.A: "Sangat Baik",
    MutuPelayanan.B: "Baik",
    MutuPelayanan.C: "Kurang Baik",
    MutuPelayanan.D: "Tidak Baik",
}

BAND_LOWER_BOUNDS: tuple[tuple[Decimal, MutuPelayanan], ...] = (
    (Decimal("88.31"), MutuPelayanan.A),
    (Decimal("76.61"), MutuPelayanan.B),
    (Decimal("65.00"), MutuPelayanan.C),
)
#: The same bounds in hundredths of an IKM point (88.31 is 8831), for integer comparisons.
_BAND_LOWER_HUNDREDTHS: tuple[tuple[int, MutuPelayanan], ...] = tuple(
    (int(bound * 100), band) for bound, band in BAND_LOWER_BOUNDS
)


def band_for(ikm: Decimal) -> MutuPelayanan:
    """Quality band of an IKM, compared on its two-decimal value."""
    numerator, denominator = ikm.as_integer_ratio()
    return band_for_hundredths(round_half_up_units(numerator, denominator, 2))


def band_for_hundredths(hundredths: int) -> MutuPelayanan:
    """Quality band of a two-decimal IKM given in hundredths (80.07 is 8007)."""
    for lower_bound, band in _BAND_LOWER_HUNDREDTHS:
        if hundredths >= lower_bound:
            return band
    return MutuPelayanan.D


@dataclass(frozen=True, slots=True)
class ElementNrr:
    """NRR of one element: exact value, two-decimal display value and its weighted share."""

    unsur: Unsur
    answered: int
    score_sum: int
    nrr_exact: Fraction
    nrr: Decimal
    weighted_nrr_exact: Fraction


@dataclass(frozen=True, slots=True)
class IkmResult:
    """IKM of one scope with every NRR, the band and the elements nobody answered."""

    respondents: int
    elements: tuple[ElementNrr, ...]
    missing: tuple[Unsur, ...]
    weight: Fraction | None
    ikm_exact: Fraction | None
    ikm: Decimal | None
    band: MutuPelayanan | None

    @property
    def band_label(self) -> str | None:
        """Indonesian label of the band, if there is an index."""
        return self.band.label if self.band is not None else None

    @property
    def complete(self) -> bool:
        """True when all nine elements were answered, so the regulation's 1/9 weight applied."""
        return not self.missing

    def nrr_of(self, unsur: Unsur) -> ElementNrr | None:
        """NRR of one element, or ``None`` when nobody answered it."""
        for element in self.elements:
            if element.unsur is unsur:
                return element
        return None


def compute_ikm(totals: ElementTotals) -> IkmResult:
    """Compute NRR per element, the IKM and its band from accumulated totals.

    The exact figures are ``Fraction``s; the IKM is summed over a common denominator and
    every rounding is done on integers, which gives the same values as adding and rounding
    ``Fraction``s (``tests/reporting/unit/domain/test_ikm_integer_arithmetic.py``) at a fraction of
    the cost.
    """
    pairs = tuple(zip(Unsur, totals.tallies, strict=True))
    answered = [(unsur, tally) for unsur, tally in pairs if tally.answered > 0]
    if not answered:
        return IkmResult(
            respondents=totals.respondents,
            elements=(),
            missing=tuple(Unsur),
            weight=None,
            ikm_exact=None,
            ikm=None,
            band=None,
        )
    count = len(answered)
    missing = tuple(u for u, t in pairs if t.answered == 0)
    elements = tuple(
        ElementNrr(
            unsur=unsur,
            answered=tally.answered,
            score_sum=tally.score_sum,
            nrr_exact=Fraction(tally.score_sum, tally.answered),
            nrr=Decimal(round_half_up_units(tally.score_sum, tally.answered, 2)).scaleb(-2),
            weighted_nrr_exact=Fraction(tally.score_sum, tally.answered * count),
        )
        for unsur, tally in answered
    )
    numerator, denominator = _ikm_ratio([tally for _, tally in answered])
    hundredths = round_half_up_units(numerator, denominator, 2)
    return IkmResult(
        respondents=totals.respondents,
        elements=elements,
        missing=missing,
        weight=Fraction(1, count),
        ikm_exact=Fraction(numerator, denominator),
        ikm=Decimal(hundredths).scaleb(-2),
        band=band_for_hundredths(hundredths),
    )


def ikm_hundredths(totals: ElementTotals) -> int | None:
    """The reported (two-decimal) IKM in hundredths, or ``None`` without an index.

    What ``compute_ikm(totals).ikm`` gives, times 100, without building the per-element
    figures: the improvement flags need only this and the band.
    """
    answered = [tally for tally in totals.tallies if tally.answered > 0]
    if not answered:
        return None
    numerator, denominator = _ikm_ratio(answered)
    return round_half_up_units(numerator, denominator, 2)


def _ikm_ratio(answered: list[ElementTally]) -> tuple[int, int]:
    """Exact IKM as numerator and denominator: 25/k x the sum of the k NRRs (not reduced)."""
    common = 1
    for tally in answered:
        common = lcm(common, tally.answered)
    total = sum(tally.score_sum * (common // tally.answered) for tally in answered)
    return IKM_SCALE * total, len(answered) * common
