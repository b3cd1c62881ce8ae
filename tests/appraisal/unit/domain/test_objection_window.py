"""The 14-day objection window (PP 30/2019 art. 59), counted in WITA calendar days.

Finalisation day is day 0; day 14 is the last day on which an objection may be filed
(up to 23:59:59 WITA); from day 15 it is refused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kinerja_appraisal.domain.states import WITA, can_file_objection, objection_deadline

FINALIZED = datetime(2026, 3, 1, 10, 0, tzinfo=WITA)


def test_the_deadline_is_14_calendar_days_after_finalisation() -> None:
    assert objection_deadline(FINALIZED) == date(2026, 3, 15)


def test_the_deadline_does_not_depend_on_the_hour_of_finalisation() -> None:
    assert objection_deadline(FINALIZED.replace(hour=0)) == date(2026, 3, 15)
    assert objection_deadline(FINALIZED.replace(hour=23, minute=59)) == date(2026, 3, 15)


def test_an_objection_on_the_day_of_finalisation_is_allowed() -> None:
    assert can_file_objection(FINALIZED, FINALIZED)
    assert can_file_objection(FINALIZED, FINALIZED + timedelta(minutes=1))


def test_an_objection_on_day_14_is_allowed_until_its_last_second() -> None:
    assert can_file_objection(FINALIZED, datetime(2026, 3, 15, 0, 0, tzinfo=WITA))
    assert can_file_objection(FINALIZED, datetime(2026, 3, 15, 23, 59, 59, 999999, tzinfo=WITA))


def test_an_objection_on_day_15_is_refused() -> None:
    assert not can_file_objection(FINALIZED, datetime(2026, 3, 16, 0, 0, tzinfo=WITA))


def test_an_objection_before_finalisation_is_refused() -> None:
    assert not can_file_objection(FINALIZED, FINALIZED - timedelta(seconds=1))


def test_days_are_counted_in_wita_even_when_times_are_given_in_utc() -> None:
    # 20:00 UTC on 1 March is 04:00 WITA on 2 March, so day 14 is 16 March (WITA).
    finalized_utc = datetime(2026, 3, 1, 20, 0, tzinfo=UTC)

    assert objection_deadline(finalized_utc) == date(2026, 3, 16)
    assert can_file_objection(finalized_utc, datetime(2026, 3, 16, 15, 59, tzinfo=UTC))
    assert not can_file_objection(finalized_utc, datetime(2026, 3, 16, 16, 0, tzinfo=UTC))


def test_another_time_zone_can_be_used() -> None:
    wib = timezone(timedelta(hours=7), "WIB")
    finalized = datetime(2026, 3, 1, 23, 30, tzinfo=WITA)  # 22:30 WIB, still 1 March

    assert objection_deadline(finalized, tz=wib) == date(2026, 3, 15)


def test_the_window_length_can_be_configured() -> None:
    assert objection_deadline(FINALIZED, 7) == date(2026, 3, 8)
    assert can_file_objection(FINALIZED, datetime(2026, 3, 8, 12, tzinfo=WITA), 7)
    assert not can_file_objection(FINALIZED, datetime(2026, 3, 9, 0, tzinfo=WITA), 7)


def test_a_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        objection_deadline(FINALIZED, -1)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 3, 1, 10, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        objection_deadline(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        can_file_objection(FINALIZED, naive)
