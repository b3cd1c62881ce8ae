"""In-process token-bucket rate limits, keyed by client or address.

Each gateway replica keeps its own buckets, so N replicas allow up to N times the configured
rate; moving the buckets to a shared store (e.g. Redis with an atomic script) is the step
for scaling out with exact limits.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from kinerja_gateway.breaker import Clock
from kinerja_gateway.settings import RateLimit


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets per key: `burst` capacity, refilled at `per_minute / 60` per second."""

    def __init__(self, limit: RateLimit, *, max_keys: int, clock: Clock = time.monotonic) -> None:
        self.capacity = float(limit.burst)
        self.rate = limit.per_minute / 60.0
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, key: str) -> float:
        """Take one token for `key`; return 0 when allowed, else seconds until one is free."""
        now = self._clock()
        bucket = self._buckets.pop(key, None)
        if bucket is None:
            bucket = _Bucket(tokens=self.capacity, updated=now)
        else:
            elapsed = max(0.0, now - bucket.updated)
            bucket.tokens = min(self.capacity, bucket.tokens + elapsed * self.rate)
            bucket.updated = now
        # Most recently used last; the least recently used keys are dropped first.
        self._buckets[key] = bucket
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self.rate
