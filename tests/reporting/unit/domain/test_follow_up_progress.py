"""A follow-up plan's progress: the mean of its actions, rounded down."""

from __future__ import annotations

from kinerja_reporting.domain.follow_up import plan_progress


def test_a_plan_without_actions_stands_at_zero() -> None:
    assert plan_progress([]) == 0


def test_a_plan_is_at_one_hundred_only_when_every_action_is_done() -> None:
    assert plan_progress([100, 100, 99]) == 99
    assert plan_progress([100, 100, 100]) == 100


def test_a_plans_progress_is_the_mean_rounded_down() -> None:
    assert plan_progress([40, 0, 25]) == 21
