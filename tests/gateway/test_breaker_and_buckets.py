"""The circuit breaker and the token buckets on their own, with a hand-driven clock."""

from __future__ import annotations

from kinerja_gateway.breaker import BreakerState, CircuitBreaker
from kinerja_gateway.rate_limit import RateLimiter
from kinerja_gateway.settings import RateLimit


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_the_breaker_stays_closed_below_the_threshold_and_a_success_resets_the_count() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, cooldown_seconds=5, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow()


def test_the_breaker_opens_at_the_threshold_and_refuses_until_the_cool_down() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=2, cooldown_seconds=5, clock=clock)
    breaker.record_failure()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()
    clock.now = 4.0
    assert not breaker.allow()
    assert breaker.retry_after() == 1.0


def test_a_half_open_breaker_lets_exactly_one_trial_through() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=5, clock=clock)
    breaker.record_failure()
    clock.now = 5.0
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()
    assert not breaker.allow()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow()
    assert breaker.allow()


def test_a_failed_trial_reopens_the_breaker_for_a_full_cool_down() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=3, cooldown_seconds=5, clock=clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now = 6.0
    assert breaker.allow()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    clock.now = 10.9
    assert not breaker.allow()
    clock.now = 11.0
    assert breaker.allow()


def test_a_released_trial_frees_the_slot_without_a_verdict() -> None:
    clock = Clock()
    breaker = CircuitBreaker(failure_threshold=1, cooldown_seconds=1, clock=clock)
    breaker.record_failure()
    clock.now = 1.0
    assert breaker.allow()
    breaker.release()
    assert breaker.allow()


def test_a_bucket_allows_its_burst_then_says_how_long_to_wait() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(per_minute=60, burst=3), max_keys=10, clock=clock)
    assert [limiter.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.take("a") == 1.0
    assert limiter.take("b") == 0.0
    clock.now = 0.5
    assert limiter.take("a") == 0.5
    clock.now = 1.0
    assert limiter.take("a") == 0.0


def test_a_bucket_never_holds_more_than_its_burst() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(per_minute=600, burst=2), max_keys=10, clock=clock)
    clock.now = 3600.0
    assert [limiter.take("a") > 0 for _ in range(3)] == [False, False, True]


def test_the_limiter_forgets_the_least_recently_used_keys_beyond_its_maximum() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(per_minute=1, burst=1), max_keys=10, clock=clock)
    limiter.take("old")
    for i in range(10):
        limiter.take(f"k{i}")
    # "old" was dropped, so it starts again with a full bucket.
    assert limiter.take("old") == 0.0
    assert limiter.take("k9") > 0
