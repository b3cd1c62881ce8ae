"""Local policy: per-employee citizen feedback summary."""

from decimal import Decimal

import pytest

from kinerja_reporting.domain.feedback_summary import (
    StaffFeedbackTotals,
    StaffResponse,
    SummaryFigure,
    summarise_staff_feedback,
)
from kinerja_reporting.domain.ikm import InvalidAnswers, MutuPelayanan, TotalsUnderflow
from kinerja_shared.law.skm import Unsur


def response(u6: int, u7: int, overall: int | None = None) -> StaffResponse:
    return StaffResponse(answers={"U6": u6, "U7": u7}, overall_rating=overall)


@pytest.mark.parametrize(("count", "published"), [(4, False), (5, True)])
def test_summary_is_published_only_from_five_responses(count: int, published: bool) -> None:
    totals = StaffFeedbackTotals.from_responses([response(4, 4, 5)] * count)
    summary = summarise_staff_feedback(totals)
    assert summary.responses == count
    assert summary.published is published
    assert (summary.u6_mean is not None) is published
    assert (summary.overall_rating_mean is not None) is published
    assert (summary.index is not None) is published


def test_minimum_responses_is_a_parameter() -> None:
    totals = StaffFeedbackTotals.from_responses([response(3, 3)] * 2)
    assert summarise_staff_feedback(totals, minimum_responses=2).published


def test_published_summary_has_means_rating_and_index() -> None:
    """Five responses: U6 = 4,4,3,3,2 (mean 3.20), U7 = 4,4,4,3,3 (mean 3.60).

    Overall given five times: 5, 4, 4, 5, 5 -> 23/5 = 4.60.
    Index over U6 and U7 (weight 1/2): (3.2 + 3.6) / 2 x 25 = 85.00, band B.
    """
    totals = StaffFeedbackTotals.from_responses(
        [
            response(4, 4, 5),
            response(4, 4, 4),
            response(3, 4, 4),
            response(3, 3, 5),
            response(2, 3, 5),
        ]
    )
    summary = summarise_staff_feedback(totals)
    assert summary.u6_mean == Decimal("3.20")
    assert summary.u7_mean == Decimal("3.60")
    assert summary.u6_answers == 5
    assert summary.overall_rating_mean == Decimal("4.60")
    assert summary.overall_ratings == 5
    assert summary.too_few == ()
    assert summary.index == Decimal("85.00")
    assert summary.index_band is MutuPelayanan.B
    assert Unsur.U1 in summary.index_missing


def test_an_element_mean_needs_the_minimum_answers_to_that_element() -> None:
    once = StaffResponse(answers={"U6": 1, "U7": 4}, overall_rating=5)
    others = [StaffResponse(answers={"U7": 3}, overall_rating=4)] * 4
    summary = summarise_staff_feedback(StaffFeedbackTotals.from_responses([once, *others]))
    assert summary.published
    assert (summary.u6_mean, summary.u6_answers) == (None, 1)
    assert summary.u7_mean == Decimal("3.20")
    assert summary.too_few == (SummaryFigure.U6_MEAN,)


def test_the_index_is_over_the_elements_answered_the_minimum_times() -> None:
    once = StaffResponse(answers={"U6": 1, "U7": 4})
    others = [StaffResponse(answers={"U7": 3})] * 4
    summary = summarise_staff_feedback(StaffFeedbackTotals.from_responses([once, *others]))
    assert summary.index == Decimal("80.00")
    assert Unsur.U6 in summary.index_missing


def test_an_overall_rating_mean_needs_the_minimum_ratings() -> None:
    rated = [response(3, 3, 5)] * 4 + [response(3, 3)]
    summary = summarise_staff_feedback(StaffFeedbackTotals.from_responses(rated))
    assert summary.overall_rating_mean is None
    assert summary.too_few == (SummaryFigure.OVERALL_RATING_MEAN,)


def test_below_the_minimum_responses_every_figure_is_too_few() -> None:
    summary = summarise_staff_feedback(StaffFeedbackTotals.from_responses([response(4, 4, 5)] * 4))
    assert summary.too_few == tuple(SummaryFigure)


def test_rating_only_responses_count_but_give_no_element_means() -> None:
    totals = StaffFeedbackTotals.from_responses([StaffResponse(overall_rating=3)] * 5)
    summary = summarise_staff_feedback(totals)
    assert summary.published
    assert summary.u6_mean is None
    assert summary.index is None
    assert summary.overall_rating_mean == Decimal("3.00")


def test_add_then_subtract_returns_to_the_original() -> None:
    original = StaffFeedbackTotals.from_responses([response(3, 4, 2), response(1, 2)])
    extra = response(4, 4, 5)
    assert original.add(extra).subtract(extra) == original


def test_merge_equals_the_sum_of_the_parts() -> None:
    part_a = [response(3, 4, 2), StaffResponse(overall_rating=1)]
    part_b = [response(1, 2), response(4, 4, 5)]
    merged = StaffFeedbackTotals.from_responses(part_a).merge(
        StaffFeedbackTotals.from_responses(part_b)
    )
    assert merged == StaffFeedbackTotals.from_responses(part_a + part_b)


def test_subtracting_a_rating_never_added_is_refused() -> None:
    totals = StaffFeedbackTotals.from_responses([response(3, 3)])
    with pytest.raises(TotalsUnderflow):
        totals.subtract(response(3, 3, 5))


@pytest.mark.parametrize("rating", [0, 6, True])
def test_overall_rating_outside_one_to_five_is_refused(rating: int) -> None:
    with pytest.raises(InvalidAnswers):
        StaffResponse(answers={"U6": 3}, overall_rating=rating)


def test_empty_response_is_refused() -> None:
    with pytest.raises(InvalidAnswers):
        StaffResponse()


def test_staff_totals_from_stored_counters_count_as_skm_respondents_those_who_answered() -> None:
    # Four responses, one with no SKM answer (only an overall rating): three answered.
    counters = {"respondents": 4, "overall_sum": 16, "overall_count": 4}
    counters |= {f"s{i}": 9 for i in range(1, 10)} | {f"n{i}": 3 for i in range(1, 10)}
    totals = StaffFeedbackTotals.from_counters(counters)
    assert totals.responses == 4
    assert totals.elements.respondents == 3
    assert (totals.overall_sum, totals.overall_count) == (16, 4)
