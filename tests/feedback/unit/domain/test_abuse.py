"""Duplicate keys, rate-limit decisions and suspicion reasons."""

from datetime import UTC, date, datetime, timedelta

import pytest

from kinerja_feedback.domain.abuse import (
    BurstPolicy,
    RateDecision,
    RateLimit,
    SuspicionReason,
    device_hash,
    duplicate_key,
    fixed_window_decision,
    is_burst,
    suspicion_reasons,
)
from kinerja_feedback.domain.wita import WITA

KEY = b"test-key"
NOW = datetime(2026, 10, 5, 12, 0, 0, tzinfo=UTC)


def test_a_device_hash_is_stable_and_depends_on_the_key() -> None:
    assert device_hash("device-1", key=KEY) == device_hash("device-1", key=KEY)
    assert device_hash("device-1", key=KEY) != device_hash("device-1", key=b"other")
    assert device_hash("device-1", key=KEY) != device_hash("device-2", key=KEY)
    assert "device-1" not in device_hash("device-1", key=KEY)


def test_the_same_device_point_and_wita_day_give_the_same_duplicate_key() -> None:
    morning = datetime(2026, 10, 5, 8, 0, tzinfo=WITA)
    evening = datetime(2026, 10, 5, 23, 59, tzinfo=WITA)
    assert duplicate_key(device_hash="d", service_point_id="sp", visited=morning) == duplicate_key(
        device_hash="d", service_point_id="sp", visited=evening
    )


def test_the_duplicate_key_uses_the_wita_date_of_an_utc_moment() -> None:
    # 16:30 UTC on 5 October is already 6 October in Denpasar.
    late_utc = datetime(2026, 10, 5, 16, 30, tzinfo=UTC)
    assert duplicate_key(device_hash="d", service_point_id="sp", visited=late_utc) == (
        duplicate_key(device_hash="d", service_point_id="sp", visited=date(2026, 10, 6))
    )


@pytest.mark.parametrize(
    "other",
    [
        {"device_hash": "e", "service_point_id": "sp", "visited": date(2026, 10, 5)},
        {"device_hash": "d", "service_point_id": "sp2", "visited": date(2026, 10, 5)},
        {"device_hash": "d", "service_point_id": "sp", "visited": date(2026, 10, 6)},
    ],
)
def test_a_different_device_point_or_day_gives_another_duplicate_key(
    other: dict[str, object],
) -> None:
    base = duplicate_key(device_hash="d", service_point_id="sp", visited=date(2026, 10, 5))
    assert duplicate_key(**other) != base  # type: ignore[arg-type]


def test_a_naive_visit_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        duplicate_key(device_hash="d", service_point_id="sp", visited=datetime(2026, 10, 5))


RATE = RateLimit(limit=3, window=timedelta(minutes=1))


def ago(seconds: float) -> datetime:
    """A moment the given number of seconds before NOW."""
    return NOW - timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("count", "now", "expected"),
    [
        (0, NOW, RateDecision(allowed=True, retry_after=0, remaining=2)),
        (2, NOW, RateDecision(allowed=True, retry_after=0, remaining=0)),
        (3, NOW, RateDecision(allowed=False, retry_after=60, remaining=0)),
        (3, NOW + timedelta(seconds=59), RateDecision(allowed=False, retry_after=1, remaining=0)),
        (3, NOW + timedelta(seconds=60), RateDecision(allowed=True, retry_after=0, remaining=2)),
    ],
)
def test_the_fixed_window_allows_up_to_the_limit_until_the_window_ends(
    count: int, now: datetime, expected: RateDecision
) -> None:
    assert fixed_window_decision(count, NOW, now, RATE) == expected


@pytest.mark.parametrize(
    ("limit", "window"),
    [(0, timedelta(minutes=1)), (1, timedelta(0)), (1, timedelta(seconds=-1))],
)
def test_an_unenforceable_rate_limit_is_refused(limit: int, window: timedelta) -> None:
    with pytest.raises(ValueError, match="rate"):
        RateLimit(limit=limit, window=window)


BURST = BurstPolicy(threshold=3, window=timedelta(minutes=10))


@pytest.mark.parametrize(
    ("timestamps", "burst"),
    [
        ([], False),
        ([ago(60), ago(120)], False),
        ([ago(60), ago(120), ago(180)], True),
        ([ago(60), ago(120), ago(600)], False),
    ],
)
def test_a_burst_is_reaching_the_threshold_within_the_window(
    timestamps: list[datetime], burst: bool
) -> None:
    assert is_burst(timestamps, NOW, BURST) is burst


def test_a_clean_submission_has_no_suspicion_reasons() -> None:
    assert suspicion_reasons(duplicate=False, abuse_flags=[], address_timestamps=[], now=NOW) == []


def test_suspicion_reasons_combine_duplicate_abuse_and_burst_in_order() -> None:
    reasons = suspicion_reasons(
        duplicate=True,
        abuse_flags=["abusive_language", "link", "link"],
        address_timestamps=[ago(1), ago(2), ago(3)],
        now=NOW,
        burst=BURST,
    )
    assert reasons == [
        SuspicionReason.DUPLICATE,
        "abusive_text:abusive_language",
        "abusive_text:link",
        SuspicionReason.BURST_FROM_ADDRESS,
    ]


@pytest.mark.parametrize(
    ("duplicate", "flags", "timestamps", "expected"),
    [
        (True, [], [], ["duplicate"]),
        (False, ["shouting"], [], ["abusive_text:shouting"]),
        (False, [], [ago(1), ago(2), ago(3)], ["burst_from_address"]),
    ],
)
def test_each_suspicion_reason_appears_on_its_own(
    duplicate: bool, flags: list[str], timestamps: list[datetime], expected: list[str]
) -> None:
    reasons = suspicion_reasons(
        duplicate=duplicate, abuse_flags=flags, address_timestamps=timestamps, now=NOW, burst=BURST
    )
    assert reasons == expected
