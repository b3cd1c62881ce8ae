"""Which appraisal deadlines are due for a reminder at a moment (docs/domain.md, "Deadline
reminders"). Dates are WITA dates; a reminder is due from `lead_days` before its
deadline up to and including the deadline, and never after it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from kinerja_appraisal.domain.states import WITA, AssessmentState, SkpState, objection_deadline


def days_left(deadline: date, today: date, lead_days: int) -> int | None:
    """Days from today to the deadline when a reminder is due (0 on the day itself), else
    None: more than `lead_days` ahead, or the deadline passed."""
    left = (deadline - today).days
    return left if 0 <= left <= lead_days else None


def wita_today(now: datetime) -> date:
    """The WITA date of an aware moment."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("a reminder scan needs an aware moment")
    return now.astimezone(WITA).date()


@dataclass(frozen=True, slots=True)
class OpenPeriod:
    """A period still planned or running: its last day is a deadline for the SKP."""

    period_id: str
    period_key: str
    year: int
    ends_on: date


@dataclass(frozen=True, slots=True)
class EmployeePlan:
    """An active employee and where their SKP of a year stands (`state` None: none)."""

    employee_id: str
    unit_id: str
    supervisor_id: str | None
    year: int
    skp_id: str | None
    state: SkpState | None
    approved: bool
    """Some version of the year is approved (a later draft changes an approved plan)."""


@dataclass(frozen=True, slots=True)
class SkpReminder:
    """An SKP to remind of: not submitted or not approved before a period's last day."""

    plan: EmployeePlan
    period: OpenPeriod
    reminder: Literal["not_submitted", "not_approved"]
    days_left: int


def due_skp_reminders(
    periods: Iterable[OpenPeriod], plans: Iterable[EmployeePlan], *, today: date, lead_days: int
) -> list[SkpReminder]:
    """The SKP reminders due today: one per employee and deadline (an annual period and the
    last quarter end on the same day and need one reminder)."""
    due: dict[tuple[str, date], SkpReminder] = {}
    by_year: dict[int, list[OpenPeriod]] = {}
    for period in sorted(periods, key=lambda p: (p.ends_on, p.period_key)):
        by_year.setdefault(period.year, []).append(period)
    for plan in plans:
        if plan.approved:
            continue
        reminder: Literal["not_submitted", "not_approved"] = (
            "not_approved" if plan.state is SkpState.SUBMITTED else "not_submitted"
        )
        for period in by_year.get(plan.year, []):
            left = days_left(period.ends_on, today, lead_days)
            if left is not None:
                due.setdefault(
                    (plan.employee_id, period.ends_on),
                    SkpReminder(plan=plan, period=period, reminder=reminder, days_left=left),
                )
    return list(due.values())


@dataclass(frozen=True, slots=True)
class DraftAssessment:
    """An assessment of a period not yet closed, with the period's last day."""

    assessment_id: str
    employee_id: str
    appraiser_id: str
    unit_id: str
    period_id: str
    period_key: str
    period_ends_on: date
    state: AssessmentState


def unit_closing_date(period_ends_on: date, closing_days: int) -> date:
    """The day a unit's assessments of a period are to be final: `closing_days` after the
    period's last day (local policy)."""
    return period_ends_on + timedelta(days=closing_days)


def due_draft_reminders(
    assessments: Iterable[DraftAssessment], *, today: date, lead_days: int, closing_days: int
) -> list[tuple[DraftAssessment, date, int]]:
    """The drafts due a reminder today, each with its unit's closing date and days left."""
    due = []
    for assessment in assessments:
        if assessment.state is not AssessmentState.DRAFT:
            continue
        closes_on = unit_closing_date(assessment.period_ends_on, closing_days)
        left = days_left(closes_on, today, lead_days)
        if left is not None:
            due.append((assessment, closes_on, left))
    return due


@dataclass(frozen=True, slots=True)
class FinalResult:
    """A final assessment, whether it was acknowledged and whether it was objected to."""

    assessment_id: str
    employee_id: str
    unit_id: str
    period_id: str
    period_key: str
    finalized_at: datetime
    state: AssessmentState
    objected: bool


def due_objection_reminders(
    results: Iterable[FinalResult], *, now: datetime, window_days: int, lead_days: int
) -> list[tuple[FinalResult, date, int]]:
    """The final results whose objection window closes within `lead_days` while the employee
    has neither acknowledged nor objected, each with the window's last day and days left."""
    today = wita_today(now)
    due = []
    for result in results:
        if result.state is not AssessmentState.FINALIZED or result.objected:
            continue
        closes_on = objection_deadline(result.finalized_at, window_days)
        left = days_left(closes_on, today, lead_days)
        if left is not None:
            due.append((result, closes_on, left))
    return due
