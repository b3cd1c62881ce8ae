"""The anti-stuffing rules of staff-attributed scores, as pure functions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kinerja_feedback.domain.addresses import network_of, subscriber_of
from kinerja_feedback.domain.attribution import (
    AttributionPolicy,
    HoldReason,
    StaffHistory,
    burst_allowance,
    hold_reasons,
    is_low,
)

POLICY = AttributionPolicy()


def reasons(history: StaffHistory, *, low: bool = False, device: bool = True) -> list[HoldReason]:
    return hold_reasons(history, low=low, has_address=True, has_device=device, policy=POLICY)


def test_a_first_score_from_a_new_source_counts() -> None:
    assert reasons(StaffHistory()) == []


def test_a_second_score_from_one_address_device_or_a_busy_network_is_held() -> None:
    assert reasons(StaffHistory(from_address=1)) == [HoldReason.REPEAT_ADDRESS]
    assert reasons(StaffHistory(from_device=1)) == [HoldReason.REPEAT_DEVICE]
    assert reasons(StaffHistory(from_network=2)) == []
    assert reasons(StaffHistory(from_network=3)) == [HoldReason.REPEAT_NETWORK]


def test_without_a_device_id_the_device_rule_cannot_apply_but_the_others_do() -> None:
    assert reasons(StaffHistory(from_device=5), device=False) == []
    assert reasons(StaffHistory(from_address=1), device=False) == [HoldReason.REPEAT_ADDRESS]


def test_low_scores_beyond_the_burst_allowance_are_held_and_high_ones_are_not() -> None:
    assert reasons(StaffHistory(low_in_burst_window=2), low=True) == []
    assert reasons(StaffHistory(low_in_burst_window=3), low=True) == [HoldReason.LOW_SCORE_BURST]
    assert reasons(StaffHistory(low_in_burst_window=50), low=False) == []


@pytest.mark.parametrize(
    ("low_before", "allowed"),
    [(0, 3), (89, 3), (178, 6), (890, 30)],  # 0, 1, 2 and 10 low scores a day before
)
def test_the_allowance_grows_with_the_persons_usual_low_scores(
    low_before: int, allowed: int
) -> None:
    assert burst_allowance(POLICY, low_before) == allowed


@pytest.mark.parametrize(
    ("answers", "rating", "low"),
    [
        ({}, 1, True),
        ({}, 2, True),
        ({}, 3, False),
        ({"U1": 4}, 2, True),  # the overall rating decides when given
        ({"U1": 2, "U2": 2}, None, True),
        ({"U1": 2, "U2": 3}, None, False),
        ({}, None, False),
    ],
)
def test_what_counts_as_a_low_score(answers: dict[str, int], rating: int | None, low: bool) -> None:
    assert is_low(answers, rating, POLICY) is low


def test_a_policy_that_cannot_be_applied_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        AttributionPolicy(per_address=0)
    with pytest.raises(ValueError, match="longer"):
        AttributionPolicy(history_window=timedelta(hours=1))


@pytest.mark.parametrize(
    ("address", "subscriber", "network"),
    [
        ("203.0.113.7", "203.0.113.7", "203.0.113.0/24"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64", "2001:db8:1::/48"),
        ("::ffff:203.0.113.7", "203.0.113.7", "203.0.113.0/24"),
        ("not an address", "not an address", None),
    ],
)
def test_what_an_address_counts_as(address: str, subscriber: str, network: str | None) -> None:
    assert subscriber_of(address) == subscriber
    assert network_of(address) == network
