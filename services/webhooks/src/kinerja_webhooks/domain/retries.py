"""When a failed delivery is tried again, when it is given up, and when a subscription is
paused: docs/domain.md, Webhooks.

The wait doubles from `first` up to `longest`, each wait drawn between its half and its
whole (jitter, so that receivers coming back are not hit by every retry at once); a delivery
still failing `horizon` after its first attempt is dead-lettered. A subscription whose
deliveries have failed without a success for `pause_after` is paused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """The local policy of retries (settings)."""

    first: float
    longest: float
    horizon: float
    pause_after: float


def wait_seconds(policy: RetryPolicy, attempts: int, draw: float) -> float:
    """The wait after the `attempts`-th failed attempt; `draw` is a random number in [0, 1)."""
    ceiling = min(policy.longest, policy.first * float(2 ** max(0, min(attempts - 1, 60))))
    return ceiling / 2 + ceiling / 2 * draw


def gives_up(policy: RetryPolicy, first_attempt: datetime, now: datetime) -> bool:
    """Whether a delivery failing now has been tried for the whole horizon."""
    return now - first_attempt >= timedelta(seconds=policy.horizon)


def pauses(policy: RetryPolicy, failing_since: datetime, now: datetime) -> bool:
    """Whether a subscription failing since then is paused now."""
    return now - failing_since >= timedelta(seconds=policy.pause_after)
