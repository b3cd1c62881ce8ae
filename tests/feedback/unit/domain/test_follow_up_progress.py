"""How an action's status and its progress percentage fit together."""

from __future__ import annotations

import pytest

from kinerja_feedback.domain.follow_up import FollowUpStatus, InvalidProgress, progress_percent


def test_a_planned_action_stands_at_zero() -> None:
    assert progress_percent(FollowUpStatus.PLANNED, None, current=40) == 0


def test_a_done_action_stands_at_one_hundred() -> None:
    assert progress_percent(FollowUpStatus.DONE, None, current=40) == 100


def test_an_action_in_progress_keeps_its_percentage_when_none_is_given() -> None:
    assert progress_percent(FollowUpStatus.IN_PROGRESS, None, current=40) == 40


def test_an_action_back_in_progress_from_done_stands_below_one_hundred() -> None:
    assert progress_percent(FollowUpStatus.IN_PROGRESS, None, current=100) == 99


@pytest.mark.parametrize(
    ("status", "percent"),
    [
        (FollowUpStatus.PLANNED, 10),
        (FollowUpStatus.DONE, 99),
        (FollowUpStatus.IN_PROGRESS, 100),
    ],
)
def test_a_percentage_contradicting_the_status_is_refused(
    status: FollowUpStatus, percent: int
) -> None:
    with pytest.raises(InvalidProgress):
        progress_percent(status, percent, current=0)


@pytest.mark.parametrize("percent", range(0, 100))
def test_every_percentage_below_one_hundred_is_progress(percent: int) -> None:
    assert progress_percent(FollowUpStatus.IN_PROGRESS, percent, current=0) == percent
