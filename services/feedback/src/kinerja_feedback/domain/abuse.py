"""Pure abuse control: duplicate keys, rate-limit decisions and suspicion reasons."""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from kinerja_feedback.domain.wita import wita_date


def device_hash(device_id: str, *, key: bytes) -> str:
    """Return a keyed SHA-256 (HMAC) of a device id, so the raw id is never stored."""
    return hmac.new(key, device_id.encode("utf-8"), hashlib.sha256).hexdigest()


def duplicate_key(*, device_hash: str, service_point_id: str, visited: date | datetime) -> str:
    """Return the key that allows one feedback per device, service point and WITA day."""
    # An aware datetime is converted to its date in Denpasar; a date is taken as a WITA date.
    visit_date = wita_date(visited) if isinstance(visited, datetime) else visited
    material = "\x1f".join((device_hash, str(service_point_id), visit_date.isoformat()))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most `limit` events per `window` (local policy, configurable)."""

    limit: int
    window: timedelta

    def __post_init__(self) -> None:
        """Refuse limits that cannot be enforced."""
        if self.limit < 1:
            raise ValueError(f"a rate limit must allow at least one event, got {self.limit}")
        if self.window <= timedelta(0):
            raise ValueError("a rate-limit window must be positive")


@dataclass(frozen=True, slots=True)
class RateDecision:
    """Whether one more event is allowed now, and if not, after how many whole seconds."""

    allowed: bool
    retry_after: int
    remaining: int


def _seconds_until(moment: datetime, now: datetime) -> int:
    """Whole seconds (rounded up, at least 1) from now until moment."""
    return max(1, math.ceil((moment - now).total_seconds()))


def fixed_window_decision(
    count: int, window_start: datetime, now: datetime, rate: RateLimit
) -> RateDecision:
    """Decide on one more event given the count already in the window starting at window_start."""
    window_end = window_start + rate.window
    if now >= window_end:
        return RateDecision(allowed=True, retry_after=0, remaining=rate.limit - 1)
    if count < rate.limit:
        return RateDecision(allowed=True, retry_after=0, remaining=rate.limit - count - 1)
    return RateDecision(allowed=False, retry_after=_seconds_until(window_end, now), remaining=0)


class SuspicionReason(StrEnum):
    """Why a submission is held for a moderator instead of counted at once."""

    DUPLICATE = "duplicate"
    ABUSIVE_TEXT = "abusive_text"
    BURST_FROM_ADDRESS = "burst_from_address"


@dataclass(frozen=True, slots=True)
class BurstPolicy:
    """How many submissions from one network address within a window count as a burst."""

    threshold: int = 10
    window: timedelta = timedelta(minutes=10)


DEFAULT_BURST_POLICY = BurstPolicy()


def is_burst(address_timestamps: Sequence[datetime], now: datetime, policy: BurstPolicy) -> bool:
    """Tell whether the submissions from one address within the window reach the threshold."""
    start = now - policy.window
    return sum(1 for moment in address_timestamps if start < moment <= now) >= policy.threshold


def suspicion_reasons(
    *,
    duplicate: bool,
    abuse_flags: Iterable[str],
    address_timestamps: Sequence[datetime] = (),
    now: datetime,
    burst: BurstPolicy = DEFAULT_BURST_POLICY,
    address_count: int | None = None,
) -> list[str]:
    """Combine duplicate, abuse flags and a burst from one address into reasons (stable order).

    The burst is judged from `address_count` (submissions from the address within the window,
    this one included) when given, else from `address_timestamps`.
    """
    # address_timestamps are the submissions from the same (hashed) address, this one included
    # if already stored; each abuse flag is reported as "abusive_text:<flag>".
    reasons: list[str] = []
    if duplicate:
        reasons.append(SuspicionReason.DUPLICATE)
    reasons.extend(f"{SuspicionReason.ABUSIVE_TEXT}:{flag}" for flag in dict.fromkeys(abuse_flags))
    if (
        address_count >= burst.threshold
        if address_count is not None
        else is_burst(address_timestamps, now, burst)
    ):
        reasons.append(SuspicionReason.BURST_FROM_ADDRESS)
    return reasons
