"""The one award-candidate definition both appraisal and reporting use."""

from __future__ import annotations

import pytest

from kinerja_shared.awards import award_years, is_award_candidate_in

SB, B = "sangat_baik", "baik"


def test_the_years_that_decide_an_award_are_consecutive_calendar_years_latest_first() -> None:
    assert award_years(2026) == [2026, 2025]
    assert award_years(2026, 3) == [2026, 2025, 2024]


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        pytest.param({2025: SB, 2026: SB}, True, id="two years in a row"),
        pytest.param({2024: SB, 2026: SB}, False, id="a year without an annual appraisal"),
        pytest.param({2025: SB, 2026: B}, False, id="baik this year"),
        pytest.param({2025: SB, 2026: None}, False, id="no final predikat this year"),
        pytest.param({2026: SB}, False, id="one year only"),
    ],
)
def test_an_award_candidate_has_sangat_baik_in_consecutive_years(
    history: dict[int, str | None], expected: bool
) -> None:
    assert is_award_candidate_in(history, 2026) is expected


def test_a_run_of_years_before_the_year_asked_does_not_count() -> None:
    assert not is_award_candidate_in({2024: SB, 2025: SB}, 2026)
