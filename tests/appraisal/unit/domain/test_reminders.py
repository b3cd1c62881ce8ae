"""Which appraisal deadlines are due for a reminder at a moment (docs/domain.md, Appraisal:
deadline reminders)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from kinerja_appraisal.domain.reminders import (
    DraftAssessment,
    EmployeePlan,
    FinalResult,
    OpenPeriod,
    days_left,
    due_draft_reminders,
    due_objection_reminders,
    due_skp_reminders,
    unit_closing_date,
    wita_today,
)
from kinerja_appraisal.domain.states import AssessmentState, SkpState

Q1 = OpenPeriod("q1", "2026-Q1", 2026, date(2026, 3, 31))
Q4 = OpenPeriod("q4", "2026-Q4", 2026, date(2026, 12, 31))
YEAR = OpenPeriod("y", "2026", 2026, date(2026, 12, 31))


def plan(state: SkpState | None, *, approved: bool = False, year: int = 2026) -> EmployeePlan:
    return EmployeePlan(
        employee_id="e1",
        unit_id="u1",
        supervisor_id="s1",
        year=year,
        skp_id=None if state is None else "skp1",
        state=state,
        approved=approved,
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 3, 23), None),
        (date(2026, 3, 24), 7),
        (date(2026, 3, 31), 0),
        (date(2026, 4, 1), None),
    ],
)
def test_a_reminder_is_due_from_the_lead_days_before_a_deadline_up_to_the_deadline(
    today: date, expected: int | None
) -> None:
    assert days_left(date(2026, 3, 31), today, 7) == expected


def test_the_reminder_day_is_the_wita_date_of_the_moment() -> None:
    assert wita_today(datetime(2026, 3, 23, 16, 0, tzinfo=UTC)) == date(2026, 3, 24)


def test_a_naive_moment_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        wita_today(datetime(2026, 3, 23, 16, 0))


@pytest.mark.parametrize(
    ("state", "reminder"),
    [
        (None, "not_submitted"),
        (SkpState.DRAFT, "not_submitted"),
        (SkpState.RETURNED, "not_submitted"),
        (SkpState.SUBMITTED, "not_approved"),
    ],
)
def test_an_skp_not_approved_is_reminded_of_within_the_lead_days_of_a_period_end(
    state: SkpState | None, reminder: str
) -> None:
    due = due_skp_reminders([Q1], [plan(state)], today=date(2026, 3, 25), lead_days=7)
    assert [(d.period.period_key, d.reminder, d.days_left) for d in due] == [
        ("2026-Q1", reminder, 6)
    ]


def test_an_approved_skp_is_not_reminded_of_even_while_a_change_is_drafted() -> None:
    assert not due_skp_reminders(
        [Q1], [plan(SkpState.DRAFT, approved=True)], today=date(2026, 3, 25), lead_days=7
    )


def test_an_skp_of_another_year_is_not_reminded_of_for_a_period() -> None:
    assert not due_skp_reminders(
        [Q1], [plan(None, year=2027)], today=date(2026, 3, 25), lead_days=7
    )


def test_an_skp_is_not_reminded_of_before_the_lead_days() -> None:
    assert not due_skp_reminders([Q1], [plan(None)], today=date(2026, 3, 23), lead_days=7)


def test_periods_ending_on_the_same_day_give_one_skp_reminder() -> None:
    due = due_skp_reminders([YEAR, Q4], [plan(None)], today=date(2026, 12, 30), lead_days=7)
    assert [(d.period.period_key, d.period.ends_on) for d in due] == [("2026", date(2026, 12, 31))]


def draft(state: AssessmentState = AssessmentState.DRAFT) -> DraftAssessment:
    return DraftAssessment("a1", "e1", "s1", "u1", "q1", "2026-Q1", date(2026, 3, 31), state)


def test_the_unit_closes_the_closing_days_after_the_period_ends() -> None:
    assert unit_closing_date(date(2026, 3, 31), 14) == date(2026, 4, 14)


def test_a_draft_is_reminded_of_within_the_lead_days_of_the_unit_closing() -> None:
    due = due_draft_reminders([draft()], today=date(2026, 4, 11), lead_days=3, closing_days=14)
    assert [(d.assessment_id, closes_on, left) for d, closes_on, left in due] == [
        ("a1", date(2026, 4, 14), 3)
    ]


@pytest.mark.parametrize("today", [date(2026, 4, 10), date(2026, 4, 15)])
def test_a_draft_is_not_reminded_of_before_the_lead_days_or_after_the_closing(
    today: date,
) -> None:
    assert not due_draft_reminders([draft()], today=today, lead_days=3, closing_days=14)


def test_a_final_assessment_is_not_reminded_of_as_a_draft() -> None:
    final = draft(AssessmentState.FINALIZED)
    assert not due_draft_reminders([final], today=date(2026, 4, 12), lead_days=3, closing_days=14)


def result(
    state: AssessmentState = AssessmentState.FINALIZED, *, objected: bool = False
) -> FinalResult:
    # Finalised 1 March 10:00 WITA: objections until 15 March (docs/domain.md, Objections).
    finalized = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    return FinalResult("a1", "e1", "u1", "q1", "2026-Q1", finalized, state, objected)


def test_an_unacknowledged_result_is_reminded_of_before_its_objection_window_closes() -> None:
    now = datetime(2026, 3, 12, 1, 0, tzinfo=UTC)
    due = due_objection_reminders([result()], now=now, window_days=14, lead_days=3)
    assert [(r.assessment_id, closes_on, left) for r, closes_on, left in due] == [
        ("a1", date(2026, 3, 15), 3)
    ]


@pytest.mark.parametrize(
    "now",
    [datetime(2026, 3, 11, 15, 59, tzinfo=UTC), datetime(2026, 3, 15, 16, 0, tzinfo=UTC)],
    ids=["the day before the lead days (WITA)", "the day after the window (WITA)"],
)
def test_an_objection_window_is_not_reminded_of_outside_the_lead_days(now: datetime) -> None:
    assert not due_objection_reminders([result()], now=now, window_days=14, lead_days=3)


def test_an_acknowledged_result_is_not_reminded_of() -> None:
    now = datetime(2026, 3, 13, tzinfo=UTC)
    acknowledged = result(AssessmentState.ACKNOWLEDGED)
    assert not due_objection_reminders([acknowledged], now=now, window_days=14, lead_days=3)


def test_a_result_objected_to_is_not_reminded_of() -> None:
    now = datetime(2026, 3, 13, tzinfo=UTC)
    assert not due_objection_reminders(
        [result(objected=True)], now=now, window_days=14, lead_days=3
    )
