"""When a failed delivery is tried again, given up, and a subscription paused
(docs/domain.md, Webhooks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kinerja_webhooks.domain.retries import RetryPolicy, gives_up, pauses, wait_seconds

POLICY = RetryPolicy(first=5, longest=3600, horizon=86_400, pause_after=86_400)
T0 = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("attempts", "ceiling"), [(1, 5), (2, 10), (3, 20), (10, 2560), (11, 3600)]
)
def test_the_wait_doubles_up_to_the_longest_and_is_drawn_from_its_upper_half(
    attempts: int, ceiling: float
) -> None:
    assert wait_seconds(POLICY, attempts, 0.0) == ceiling / 2
    assert wait_seconds(POLICY, attempts, 0.999999) == pytest.approx(ceiling, rel=1e-5)


def test_a_huge_number_of_attempts_still_waits_the_longest() -> None:
    assert wait_seconds(POLICY, 10_000, 0.5) == 2700


def test_a_delivery_is_given_up_once_it_has_failed_for_the_horizon() -> None:
    assert not gives_up(POLICY, T0, T0 + timedelta(hours=23, minutes=59))
    assert gives_up(POLICY, T0, T0 + timedelta(hours=24))


def test_a_subscription_is_paused_once_it_has_failed_for_the_pause_time() -> None:
    assert not pauses(POLICY, T0, T0 + timedelta(hours=23))
    assert pauses(POLICY, T0, T0 + timedelta(hours=24))
