"""A circuit breaker per upstream: stop calling a service that keeps failing, retry later.

Closed: calls pass; `failure_threshold` consecutive failures open it. Open: calls are refused
at once until `cooldown_seconds` have passed; then it is half-open and lets one trial call
through. The trial's success closes it; its failure opens it for another cool-down.

What counts as a failure is the caller's decision (`proxy.FAILURE_STATUSES`): transport
errors, timeouts and 502/503/504 answers, never an answer the service chose to give (a 4xx,
or a 500 from one of its handlers), so that nobody can open the breaker by sending requests
that fail.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum

Clock = Callable[[], float]


class BreakerState(StrEnum):
    """Where the breaker stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Consecutive-failure circuit breaker with an injectable monotonic clock."""

    def __init__(
        self, *, failure_threshold: int, cooldown_seconds: float, clock: Clock = time.monotonic
    ) -> None:
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> BreakerState:
        """The current state (open turns half-open once the cool-down has passed)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.cooldown_seconds:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def retry_after(self) -> float:
        """Seconds until a trial call will be allowed (0 when calls are allowed now)."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self._opened_at + self.cooldown_seconds - self._clock())

    def allow(self) -> bool:
        """Whether a call may go out now; in half-open state only one trial at a time."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def record_success(self) -> None:
        """A call succeeded: close the breaker."""
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def record_failure(self) -> None:
        """A call failed: count it; open (again) at the threshold or after a failed trial."""
        self._failures += 1
        if self._trial_in_flight or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._trial_in_flight = False

    def release(self) -> None:
        """A call ended without a verdict (e.g. the caller went away): free the trial slot."""
        self._trial_in_flight = False
