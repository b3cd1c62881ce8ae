"""Complaint lifecycle, working-day arithmetic and SP4N-LAPOR! deadlines in WITA."""

import itertools
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kinerja_feedback.domain.complaint import (
    TRANSITIONS,
    ComplaintCategory,
    ComplaintStatus,
    DeadlinePolicy,
    Deadlines,
    Duty,
    DutyState,
    IllegalTransition,
    Progress,
    can_transition,
    deadlines,
    duty_states,
    overdue,
    transition,
)
from kinerja_feedback.domain.wita import WITA, to_wita, wita_date
from kinerja_feedback.domain.working_days import WorkingCalendar


def calendar(holidays: frozenset[date] = frozenset()) -> WorkingCalendar:
    """Monday to Friday without these holidays."""
    return WorkingCalendar(holidays=holidays)


def is_working_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    return calendar(holidays).is_working_day(day)


def add_working_days(start: date, n: int, holidays: frozenset[date] = frozenset()) -> date:
    return calendar(holidays).add_working_days(start, n)


def handled(status: ComplaintStatus) -> Progress:
    """A complaint in this status whose unit verified and answered it when it left received."""
    done = status is not ComplaintStatus.RECEIVED
    return Progress(status=status, verified=done, responded=done)


S = ComplaintStatus
LEGAL = {
    (S.RECEIVED, S.VERIFIED),
    (S.RECEIVED, S.REJECTED),
    (S.VERIFIED, S.IN_PROGRESS),
    (S.VERIFIED, S.REJECTED),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.IN_PROGRESS, S.REJECTED),
    (S.RESOLVED, S.REOPENED),
    (S.REJECTED, S.REOPENED),
    (S.REOPENED, S.IN_PROGRESS),
}
ILLEGAL = sorted(set(itertools.product(S, S)) - LEGAL)

NYEPI_2026 = date(2026, 3, 19)
CHRISTMAS_2026 = date(2026, 12, 25)
UTC = UTC


@pytest.mark.parametrize(("current", "target"), sorted(LEGAL))
def test_a_legal_transition_returns_the_new_status(
    current: ComplaintStatus, target: ComplaintStatus
) -> None:
    assert transition(current, target) is target
    assert can_transition(current, target)


@pytest.mark.parametrize(("current", "target"), ILLEGAL)
def test_an_illegal_transition_raises(current: ComplaintStatus, target: ComplaintStatus) -> None:
    with pytest.raises(IllegalTransition) as raised:
        transition(current, target)
    assert raised.value.current is current
    assert raised.value.target is target
    assert not can_transition(current, target)


def test_the_transition_table_is_exactly_the_documented_one() -> None:
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == LEGAL
    assert set(TRANSITIONS) == set(ComplaintStatus)


def test_an_illegal_transition_names_the_allowed_moves() -> None:
    with pytest.raises(IllegalTransition, match=r"received to resolved.*rejected, verified"):
        transition(S.RECEIVED, S.RESOLVED)


def test_a_reopened_complaint_only_goes_back_into_progress() -> None:
    assert TRANSITIONS[S.REOPENED] == frozenset({S.IN_PROGRESS})


def test_a_full_lifecycle_with_a_reopening_is_legal() -> None:
    status = S.RECEIVED
    for target in (S.VERIFIED, S.IN_PROGRESS, S.RESOLVED, S.REOPENED, S.IN_PROGRESS, S.RESOLVED):
        status = transition(status, target)
    assert status is S.RESOLVED


@pytest.mark.parametrize(
    ("day", "holidays", "working"),
    [
        (date(2026, 10, 5), frozenset(), True),  # Monday
        (date(2026, 10, 9), frozenset(), True),  # Friday
        (date(2026, 10, 10), frozenset(), False),  # Saturday
        (date(2026, 10, 11), frozenset(), False),  # Sunday
        (NYEPI_2026, frozenset({NYEPI_2026}), False),  # a Thursday holiday
        (NYEPI_2026, frozenset(), True),
    ],
)
def test_working_days_are_monday_to_friday_without_holidays(
    day: date, holidays: frozenset[date], working: bool
) -> None:
    assert is_working_day(day, holidays) is working


@pytest.mark.parametrize(
    ("start", "n", "holidays", "expected"),
    [
        (date(2026, 10, 5), 0, frozenset(), date(2026, 10, 5)),  # Monday, nothing to add
        (date(2026, 10, 10), 0, frozenset(), date(2026, 10, 10)),  # Saturday stays
        (date(2026, 10, 5), 1, frozenset(), date(2026, 10, 6)),
        (date(2026, 10, 5), 3, frozenset(), date(2026, 10, 8)),
        (date(2026, 10, 5), 4, frozenset(), date(2026, 10, 9)),
        (date(2026, 10, 5), 5, frozenset(), date(2026, 10, 12)),  # across a weekend
        (date(2026, 10, 9), 1, frozenset(), date(2026, 10, 12)),  # Friday to Monday
        (date(2026, 10, 9), 3, frozenset(), date(2026, 10, 14)),
        (date(2026, 10, 10), 1, frozenset(), date(2026, 10, 12)),  # from Saturday
        (date(2026, 10, 11), 3, frozenset(), date(2026, 10, 14)),  # from Sunday
        (date(2026, 10, 5), 14, frozenset(), date(2026, 10, 23)),
        (date(2026, 10, 5), 60, frozenset(), date(2026, 12, 28)),
        (date(2026, 10, 5), 60, frozenset({CHRISTMAS_2026}), date(2026, 12, 29)),
        (date(2026, 3, 16), 3, frozenset(), date(2026, 3, 19)),
        (date(2026, 3, 16), 3, frozenset({NYEPI_2026}), date(2026, 3, 20)),
        (date(2026, 12, 24), 1, frozenset({CHRISTMAS_2026}), date(2026, 12, 28)),
        (date(2026, 3, 18), 1, frozenset({NYEPI_2026, date(2026, 3, 20)}), date(2026, 3, 23)),
    ],
)
def test_adding_working_days_skips_weekends_and_holidays(
    start: date, n: int, holidays: frozenset[date], expected: date
) -> None:
    assert add_working_days(start, n, holidays) == expected


def test_a_holiday_on_a_weekend_changes_nothing() -> None:
    saturday = date(2026, 10, 10)
    assert add_working_days(date(2026, 10, 9), 1, frozenset({saturday})) == date(2026, 10, 12)


def test_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 10, 5), -1)


MONDAY_MORNING = datetime(2026, 10, 5, 9, 0, tzinfo=WITA)


@pytest.mark.parametrize(
    ("category", "first_response_due", "resolution_due"),
    [
        (ComplaintCategory.INFORMATION_REQUEST, date(2026, 10, 8), date(2026, 10, 12)),
        (ComplaintCategory.SIMPLE_COMPLAINT, date(2026, 10, 8), date(2026, 10, 12)),
        (ComplaintCategory.DISPUTE, date(2026, 10, 8), date(2026, 10, 23)),
        (ComplaintCategory.DISPUTE_FIELD_CHECK, date(2026, 10, 8), date(2026, 12, 28)),
    ],
)
def test_deadlines_follow_the_category_in_working_days(
    category: ComplaintCategory, first_response_due: date, resolution_due: date
) -> None:
    assert deadlines(category, MONDAY_MORNING, calendar()) == Deadlines(
        first_response_due=first_response_due, resolution_due=resolution_due
    )


def test_deadlines_skip_the_given_holidays() -> None:
    received = datetime(2026, 3, 16, 10, 0, tzinfo=WITA)
    result = deadlines(
        ComplaintCategory.SIMPLE_COMPLAINT, received, calendar(frozenset({NYEPI_2026}))
    )
    assert result == Deadlines(
        first_response_due=date(2026, 3, 20), resolution_due=date(2026, 3, 24)
    )


def test_deadlines_count_from_the_wita_date_of_an_utc_moment() -> None:
    # 16:30 UTC on Monday is 00:30 WITA on Tuesday.
    received = datetime(2026, 10, 5, 16, 30, tzinfo=UTC)
    result = deadlines(ComplaintCategory.SIMPLE_COMPLAINT, received, calendar())
    assert result.first_response_due == date(2026, 10, 9)
    assert result.resolution_due == date(2026, 10, 13)


def test_deadlines_of_a_complaint_received_on_saturday_start_on_monday() -> None:
    received = datetime(2026, 10, 10, 11, 0, tzinfo=WITA)
    result = deadlines(ComplaintCategory.SIMPLE_COMPLAINT, received, calendar())
    assert result.first_response_due == date(2026, 10, 14)
    assert result.resolution_due == date(2026, 10, 16)


def test_resolution_can_be_counted_in_calendar_days_by_policy() -> None:
    policy = DeadlinePolicy(resolution_in_working_days=False)
    result = deadlines(ComplaintCategory.DISPUTE, MONDAY_MORNING, calendar(), policy)
    assert result == Deadlines(
        first_response_due=date(2026, 10, 8), resolution_due=date(2026, 10, 19)
    )


def test_a_naive_received_at_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        deadlines(ComplaintCategory.DISPUTE, datetime(2026, 10, 5, 9, 0), calendar())


DUE = Deadlines(first_response_due=date(2026, 10, 8), resolution_due=date(2026, 10, 12))


def wita(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """Build an aware WITA datetime."""
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=WITA)


@pytest.mark.parametrize(
    ("status", "now", "expected"),
    [
        (S.RECEIVED, wita(date(2026, 10, 8), 23, 59, 59), []),
        (S.RECEIVED, wita(date(2026, 10, 9)), [Duty.VERIFICATION, Duty.FIRST_RESPONSE]),
        (
            S.RECEIVED,
            wita(date(2026, 10, 12), 23, 59, 59),
            [Duty.VERIFICATION, Duty.FIRST_RESPONSE],
        ),
        (
            S.RECEIVED,
            wita(date(2026, 10, 13)),
            [Duty.VERIFICATION, Duty.FIRST_RESPONSE, Duty.RESOLUTION],
        ),
        (S.VERIFIED, wita(date(2026, 10, 9)), []),
        (S.VERIFIED, wita(date(2026, 10, 12), 23, 59, 59), []),
        (S.VERIFIED, wita(date(2026, 10, 13)), [Duty.RESOLUTION]),
        (S.IN_PROGRESS, wita(date(2026, 10, 13)), [Duty.RESOLUTION]),
        (S.REOPENED, wita(date(2026, 10, 13)), [Duty.RESOLUTION]),
        (S.RESOLVED, wita(date(2026, 10, 20)), []),
        (S.REJECTED, wita(date(2026, 10, 20)), []),
    ],
)
def test_overdue_lists_passed_deadlines_whose_duty_is_still_open(
    status: ComplaintStatus, now: datetime, expected: list[str]
) -> None:
    assert overdue(DUE, handled(status), now) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 10, 8, 15, 59, 59, tzinfo=UTC), []),  # 23:59:59 WITA on the due date
        (datetime(2026, 10, 8, 16, 0, 0, tzinfo=UTC), [Duty.VERIFICATION, Duty.FIRST_RESPONSE]),
        (
            datetime(2026, 10, 8, 10, 0, tzinfo=timezone(timedelta(hours=-6))),
            [Duty.VERIFICATION, Duty.FIRST_RESPONSE],
        ),
    ],
)
def test_overdue_turns_at_midnight_wita_whatever_the_zone_of_now(
    now: datetime, expected: list[str]
) -> None:
    assert overdue(DUE, handled(S.RECEIVED), now) == expected


def test_overdue_refuses_a_naive_now() -> None:
    with pytest.raises(ValueError, match="naive"):
        overdue(DUE, handled(S.RECEIVED), datetime(2026, 10, 9))


def test_a_status_change_without_a_response_leaves_the_first_response_owed() -> None:
    progress = Progress(status=S.VERIFIED, verified=True, responded=False)
    assert duty_states(DUE, progress, wita(date(2026, 10, 9))) == {
        Duty.VERIFICATION: DutyState.DONE,
        Duty.FIRST_RESPONSE: DutyState.OVERDUE,
        Duty.RESOLUTION: DutyState.DUE,
    }


def test_a_response_without_verification_leaves_only_the_verification_owed() -> None:
    progress = Progress(status=S.RECEIVED, verified=False, responded=True)
    assert overdue(DUE, progress, wita(date(2026, 10, 9))) == [Duty.VERIFICATION]


def test_a_complaint_closed_without_a_response_leaves_that_duty_lapsed() -> None:
    progress = Progress(status=S.REJECTED, verified=True, responded=False)
    states = duty_states(DUE, progress, wita(date(2026, 10, 20)))
    assert states[Duty.FIRST_RESPONSE] is DutyState.LAPSED
    assert states[Duty.RESOLUTION] is DutyState.DONE
    assert overdue(DUE, progress, wita(date(2026, 10, 20))) == []


def test_the_default_policy_counts_three_working_days_for_the_first_response() -> None:
    policy = DeadlinePolicy()
    assert policy.first_response_working_days == 3
    assert dict(policy.resolution_days) == {
        ComplaintCategory.INFORMATION_REQUEST: 5,
        ComplaintCategory.SIMPLE_COMPLAINT: 5,
        ComplaintCategory.DISPUTE: 14,
        ComplaintCategory.DISPUTE_FIELD_CHECK: 60,
    }


def test_wita_is_eight_hours_ahead_of_utc() -> None:
    assert to_wita(datetime(2026, 10, 5, 16, 0, tzinfo=UTC)) == datetime(
        2026, 10, 6, 0, 0, tzinfo=WITA
    )
    assert wita_date(datetime(2026, 10, 5, 15, 59, 59, tzinfo=UTC)) == date(2026, 10, 5)
