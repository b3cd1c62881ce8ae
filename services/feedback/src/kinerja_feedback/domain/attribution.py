"""Anti-stuffing rules for scores that name a staff member (pure: no I/O).

A citizen may name the staff member who served them (by the public staff code); those scores
then count toward that person's citizen-feedback summary, which is evidence in their
appraisal. Staff codes are public, so a campaign could manufacture evidence against (or for)
someone. The unit's IKM counts the scores as usual; only their attribution to the person
passes these rules, and a submission that fails one is held for a moderator, with the
reasons, instead of counted:

- per source: within `source_window`, one person may be scored at most `per_address` times
  from one client address, `per_device` times from one device and `per_network` times from
  one network (IPv4 /24, IPv6 /48). The address is the one the gateway resolved, never what
  the client claims; the device id is the client's own claim, so it only ever holds more
  back, never lets more through.
- a burst of low scores: within `burst_window`, at most `burst_allowance` low scores for one
  person count, where the allowance is the larger of `burst_minimum` and `burst_factor` times
  the person's own usual number of low scores per window over the previous `history_window`.
  Someone who routinely gets a few low scores a day is not held back by ordinary days; a
  sudden wave against one person is.

Counts include every earlier submission naming the person (held ones too, withdrawn ones
not), so pacing or spreading a campaign does not reset them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum


class HoldReason(StrEnum):
    """Why a staff-attributed score is held for review."""

    REPEAT_ADDRESS = "staff_repeat_address"
    REPEAT_DEVICE = "staff_repeat_device"
    REPEAT_NETWORK = "staff_repeat_network"
    LOW_SCORE_BURST = "staff_low_score_burst"


@dataclass(frozen=True, slots=True)
class AttributionPolicy:
    """The local policy (settings `FEEDBACK_STAFF_*`, documented in the service's README)."""

    source_window: timedelta = timedelta(days=30)
    per_address: int = 1
    per_device: int = 1
    per_network: int = 3
    burst_window: timedelta = timedelta(hours=24)
    burst_minimum: int = 3
    burst_factor: float = 3.0
    history_window: timedelta = timedelta(days=90)
    low_rating_max: int = 2
    low_score_max: float = 2.0

    def __post_init__(self) -> None:
        """Refuse a policy that cannot be applied."""
        if min(self.per_address, self.per_device, self.per_network, self.burst_minimum) < 1:
            raise ValueError("every limit must allow at least one score")
        if self.history_window <= self.burst_window or self.burst_window <= timedelta(0):
            raise ValueError("the history window must be longer than the burst window")


@dataclass(frozen=True, slots=True)
class StaffHistory:
    """Earlier submissions naming the person (not withdrawn), as counted for one submission."""

    from_address: int = 0
    from_device: int = 0
    from_network: int = 0
    low_in_burst_window: int = 0
    low_before_burst_window: int = 0


def is_low(
    answers: Mapping[str, int], overall_rating: int | None, policy: AttributionPolicy
) -> bool:
    """Whether scores are low: an overall rating (1-5) at most `low_rating_max`, or without one,
    SKM answers (1-4) averaging at most `low_score_max`."""
    if overall_rating is not None:
        return overall_rating <= policy.low_rating_max
    if not answers:
        return False
    return sum(answers.values()) <= policy.low_score_max * len(answers)


def burst_allowance(policy: AttributionPolicy, low_before_burst_window: int) -> int:
    """How many low scores one person may get within a burst window and still count them."""
    earlier = policy.history_window - policy.burst_window
    usual = low_before_burst_window * (policy.burst_window / earlier)
    return max(policy.burst_minimum, math.ceil(policy.burst_factor * usual))


def hold_reasons(
    history: StaffHistory,
    *,
    low: bool,
    has_address: bool,
    has_device: bool,
    policy: AttributionPolicy,
) -> list[HoldReason]:
    """The reasons to hold this submission's attribution (empty: it counts), stable order."""
    reasons: list[HoldReason] = []
    if has_address and history.from_address >= policy.per_address:
        reasons.append(HoldReason.REPEAT_ADDRESS)
    if has_device and history.from_device >= policy.per_device:
        reasons.append(HoldReason.REPEAT_DEVICE)
    if has_address and history.from_network >= policy.per_network:
        reasons.append(HoldReason.REPEAT_NETWORK)
    if low and history.low_in_burst_window >= burst_allowance(
        policy, history.low_before_burst_window
    ):
        reasons.append(HoldReason.LOW_SCORE_BURST)
    return reasons
