"""Which complaint duties are due a reminder at a moment (docs/domain.md, complaints:
reminders): still owed, not overdue, within the reminder's working days of the due date."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from kinerja_feedback.domain.complaint import ComplaintStatus, Duty
from kinerja_feedback.domain.reminders import OpenComplaint, due_duty_reminders
from kinerja_feedback.domain.working_days import WorkingCalendar

CALENDAR = WorkingCalendar()
# Received Monday 2 March 2026: first response due Thursday 5 March, resolution (5 working
# days) Monday 9 March.
FIRST_RESPONSE_DUE = date(2026, 3, 5)
RESOLUTION_DUE = date(2026, 3, 9)


def complaint(
    status: ComplaintStatus = ComplaintStatus.VERIFIED, *, responded: bool = False
) -> OpenComplaint:
    return OpenComplaint(
        feedback_id="f1",
        unit_id="u1",
        service_point_id="p1",
        category="simple_complaint",
        handler_employee_id=None,
        status=status,
        verified=status is not ComplaintStatus.RECEIVED,
        responded=responded,
        first_response_due=FIRST_RESPONSE_DUE,
        resolution_due=RESOLUTION_DUE,
    )


def wita(day: int, hour: int = 10) -> datetime:
    """A moment of March 2026 at an hour WITA."""
    return datetime(2026, 3, day, hour - 8, 0, tzinfo=UTC)


def reminders(
    item: OpenComplaint, now: datetime, lead: int = 1, calendar: WorkingCalendar = CALENDAR
) -> list[tuple[Duty, date, int]]:
    due = due_duty_reminders([item], now=now, calendar=calendar, lead_working_days=lead)
    return [(r.duty, r.due_on, r.working_days_left) for r in due]


def test_the_first_response_is_reminded_of_one_working_day_before_it_is_due() -> None:
    assert reminders(complaint(), wita(4)) == [(Duty.FIRST_RESPONSE, FIRST_RESPONSE_DUE, 1)]


def test_the_first_response_is_reminded_of_on_its_due_day() -> None:
    assert reminders(complaint(), wita(5)) == [(Duty.FIRST_RESPONSE, FIRST_RESPONSE_DUE, 0)]


def test_nothing_is_reminded_of_two_working_days_before() -> None:
    assert reminders(complaint(), wita(3)) == []


def test_an_overdue_first_response_is_not_reminded_of_while_the_resolution_still_is() -> None:
    assert reminders(complaint(), wita(6)) == [(Duty.RESOLUTION, RESOLUTION_DUE, 1)]


def test_a_first_response_given_is_not_reminded_of() -> None:
    assert reminders(complaint(responded=True), wita(5)) == []


def test_the_resolution_due_on_monday_is_reminded_of_on_the_friday_before() -> None:
    assert reminders(complaint(responded=True), wita(6)) == [(Duty.RESOLUTION, RESOLUTION_DUE, 1)]


def test_the_weekend_does_not_count_as_working_days_left() -> None:
    assert reminders(complaint(responded=True), wita(7)) == [(Duty.RESOLUTION, RESOLUTION_DUE, 1)]


def test_a_holiday_before_the_due_date_does_not_count_either() -> None:
    friday_off = WorkingCalendar(holidays=frozenset({date(2026, 3, 6)}))
    assert reminders(complaint(responded=True), wita(5), calendar=friday_off) == [
        (Duty.RESOLUTION, RESOLUTION_DUE, 1)
    ]


def test_the_day_is_the_wita_date_of_the_moment() -> None:
    # 16:30 UTC on Tuesday is 00:30 WITA on Wednesday, one working day before Thursday.
    tuesday_night_utc = datetime(2026, 3, 3, 16, 30, tzinfo=UTC)
    assert reminders(complaint(), tuesday_night_utc) == [
        (Duty.FIRST_RESPONSE, FIRST_RESPONSE_DUE, 1)
    ]


@pytest.mark.parametrize("status", [ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED])
def test_a_closed_complaint_is_not_reminded_of(status: ComplaintStatus) -> None:
    assert reminders(complaint(status), wita(5)) == []


def test_a_longer_lead_reminds_earlier() -> None:
    assert reminders(complaint(), wita(3), lead=2) == [(Duty.FIRST_RESPONSE, FIRST_RESPONSE_DUE, 2)]


def test_both_duties_due_within_the_lead_are_each_reminded_of() -> None:
    item = replace(complaint(), resolution_due=FIRST_RESPONSE_DUE)
    assert reminders(item, wita(5)) == [
        (Duty.FIRST_RESPONSE, FIRST_RESPONSE_DUE, 0),
        (Duty.RESOLUTION, FIRST_RESPONSE_DUE, 0),
    ]
