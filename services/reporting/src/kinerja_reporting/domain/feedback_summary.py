"""Local policy: the citizen feedback summary of one employee for one period.

docs/domain.md, reporting: citizen feedback summary per employee.

From the feedback that names the staff member who served, per employee and period:
the number of responses, the mean of U6 (Kompetensi pelaksana) and of U7 (Perilaku
pelaksana), and overall satisfaction, reported as two separate measures that are never
blended:

- ``overall_rating_mean``: mean of the optional overall rating (1-5) over the responses
  that gave one (``None`` when none did);
- ``index``: the IKM-style index (25-100) over the SKM elements those responses answered,
  computed exactly like the unit IKM (weight 1/k over the k answered elements).

The summary is published (``published``) when the responses reach ``minimum_responses``
(default 5). Each figure is shown only when the answers it rests on reach the same minimum
too: the U6 mean from ``minimum_responses`` answers to U6, the U7 mean likewise, the overall
rating mean from that many ratings, and the index over the elements answered at least that
many times (the others are left out like unanswered ones). A figure held back is ``None``
and named in ``too_few``. Below the minimum responses every figure is held back. Totals are
incremental like ``ElementTotals``: add a response, subtract it when it is withdrawn or
rejected.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from kinerja_reporting.domain.ikm import (
    Answers,
    ElementTally,
    ElementTotals,
    InvalidAnswers,
    MutuPelayanan,
    TotalsUnderflow,
    compute_ikm,
)
from kinerja_reporting.domain.rounding import round_half_up
from kinerja_shared.law.skm import Unsur

DEFAULT_MINIMUM_RESPONSES = 5
MIN_OVERALL_RATING = 1
MAX_OVERALL_RATING = 5


class SummaryFigure(StrEnum):
    """A figure of the summary, shown only from the minimum answers to it."""

    U6_MEAN = "u6_mean"
    U7_MEAN = "u7_mean"
    OVERALL_RATING_MEAN = "overall_rating_mean"
    SATISFACTION_INDEX = "satisfaction_index"


@dataclass(frozen=True, slots=True)
class StaffResponse:
    """One feedback naming a staff member: SKM answers (may be empty) and optional rating."""

    answers: Answers = field(default_factory=dict)
    overall_rating: int | None = None

    def __post_init__(self) -> None:
        rating = self.overall_rating
        if rating is not None and (
            isinstance(rating, bool)
            or not isinstance(rating, int)
            or not MIN_OVERALL_RATING <= rating <= MAX_OVERALL_RATING
        ):
            raise InvalidAnswers(
                f"overall rating must be an integer {MIN_OVERALL_RATING}-{MAX_OVERALL_RATING},"
                f" got {rating!r}"
            )
        if not self.answers and rating is None:
            raise InvalidAnswers("a response needs survey answers or an overall rating")


@dataclass(frozen=True, slots=True)
class StaffFeedbackTotals:
    """Incremental, immutable totals of the feedback naming one employee in one period."""

    responses: int = 0
    elements: ElementTotals = field(default_factory=ElementTotals)
    overall_sum: int = 0
    overall_count: int = 0

    def __post_init__(self) -> None:
        if self.responses < 0 or self.overall_count < 0:
            raise TotalsUnderflow("counts must not be negative")
        if self.elements.respondents > self.responses or self.overall_count > self.responses:
            raise TotalsUnderflow("more answers than responses")
        if not (
            MIN_OVERALL_RATING * self.overall_count
            <= self.overall_sum
            <= MAX_OVERALL_RATING * self.overall_count
        ):
            raise TotalsUnderflow(
                f"overall sum {self.overall_sum} impossible for {self.overall_count} ratings"
            )

    @classmethod
    def from_counters(cls, counters: Mapping[Any, int]) -> StaffFeedbackTotals:
        """Totals from stored counters: ``respondents`` (responses, with or without answers),
        the unsur counters of ``ElementTotals.from_counters``, ``overall_sum`` and
        ``overall_count``."""
        # Respondents of the SKM part are those who answered at least one element; the row
        # keeps responses (with or without answers), so the domain check needs the max of nN.
        totals = ElementTotals.from_counters(counters)
        answered = max(t.answered for t in totals.tallies)
        return cls(
            responses=counters["respondents"],
            elements=ElementTotals(respondents=answered, tallies=totals.tallies),
            overall_sum=counters["overall_sum"],
            overall_count=counters["overall_count"],
        )

    @classmethod
    def from_responses(cls, responses: Iterable[StaffResponse]) -> StaffFeedbackTotals:
        """Recompute totals from scratch."""
        totals = cls()
        for response in responses:
            totals = totals.add(response)
        return totals

    def add(self, response: StaffResponse) -> StaffFeedbackTotals:
        """Count one response."""
        return self._apply(response, 1)

    def subtract(self, response: StaffResponse) -> StaffFeedbackTotals:
        """Remove one response (withdrawn or rejected)."""
        if self.responses == 0:
            raise TotalsUnderflow("cannot subtract from totals with no responses")
        return self._apply(response, -1)

    def merge(self, other: StaffFeedbackTotals) -> StaffFeedbackTotals:
        """Pool two disjoint sets of responses."""
        return StaffFeedbackTotals(
            responses=self.responses + other.responses,
            elements=self.elements.merge(other.elements),
            overall_sum=self.overall_sum + other.overall_sum,
            overall_count=self.overall_count + other.overall_count,
        )

    def _apply(self, response: StaffResponse, sign: int) -> StaffFeedbackTotals:
        elements = self.elements
        if response.answers:
            if sign > 0:
                elements = elements.add(response.answers)
            else:
                elements = elements.subtract(response.answers)
        rating = response.overall_rating
        return StaffFeedbackTotals(
            responses=self.responses + sign,
            elements=elements,
            overall_sum=self.overall_sum + (sign * rating if rating is not None else 0),
            overall_count=self.overall_count + (sign if rating is not None else 0),
        )


@dataclass(frozen=True, slots=True)
class StaffFeedbackSummary:
    """What the appraiser sees; each number is ``None`` (and in ``too_few``) until the answers
    it rests on reach the minimum."""

    responses: int
    minimum_responses: int
    published: bool
    u6_mean: Decimal | None
    u6_answers: int
    u7_mean: Decimal | None
    u7_answers: int
    overall_rating_mean: Decimal | None
    overall_ratings: int
    index: Decimal | None
    index_band: MutuPelayanan | None
    index_missing: tuple[Unsur, ...]
    too_few: tuple[SummaryFigure, ...] = ()


def _mean(total: int, count: int, minimum: int) -> Decimal | None:
    """The two-decimal mean of ``count`` answers adding up to ``total``, from ``minimum`` on."""
    return round_half_up(Fraction(total, count), 2) if count >= minimum else None


def _enough_answered(elements: ElementTotals, minimum: int) -> ElementTotals:
    """The elements answered at least ``minimum`` times; the others as if unanswered."""
    return ElementTotals(
        respondents=elements.respondents,
        tallies=tuple(t if t.answered >= minimum else ElementTally() for t in elements.tallies),
    )


def summarise_staff_feedback(
    totals: StaffFeedbackTotals,
    *,
    minimum_responses: int = DEFAULT_MINIMUM_RESPONSES,
) -> StaffFeedbackSummary:
    """Summary of one employee's feedback: each figure from ``minimum_responses`` answers on."""
    if minimum_responses < 1:
        raise ValueError(f"minimum_responses must be at least 1, got {minimum_responses}")
    u6 = totals.elements.of(Unsur.U6)
    u7 = totals.elements.of(Unsur.U7)
    # Every answer count is at most the responses: below the minimum responses nothing shows.
    ikm = compute_ikm(_enough_answered(totals.elements, minimum_responses))
    figures = {
        SummaryFigure.U6_MEAN: _mean(u6.score_sum, u6.answered, minimum_responses),
        SummaryFigure.U7_MEAN: _mean(u7.score_sum, u7.answered, minimum_responses),
        SummaryFigure.OVERALL_RATING_MEAN: _mean(
            totals.overall_sum, totals.overall_count, minimum_responses
        ),
        SummaryFigure.SATISFACTION_INDEX: ikm.ikm,
    }
    return StaffFeedbackSummary(
        responses=totals.responses,
        minimum_responses=minimum_responses,
        published=totals.responses >= minimum_responses,
        u6_mean=figures[SummaryFigure.U6_MEAN],
        u6_answers=u6.answered,
        u7_mean=figures[SummaryFigure.U7_MEAN],
        u7_answers=u7.answered,
        overall_rating_mean=figures[SummaryFigure.OVERALL_RATING_MEAN],
        overall_ratings=totals.overall_count,
        index=ikm.ikm,
        index_band=ikm.band,
        index_missing=ikm.missing if ikm.ikm is not None else (),
        too_few=tuple(figure for figure, value in figures.items() if value is None),
    )
