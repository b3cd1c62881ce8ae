"""Which complaint duties are due for a reminder at a moment (docs/domain.md, complaints:
reminders): the first response or the resolution, still owed, with at most the reminder's
working days left before its due date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from kinerja_feedback.domain.complaint import (
    ComplaintStatus,
    Deadlines,
    Duty,
    DutyState,
    Progress,
    duty_states,
)
from kinerja_feedback.domain.wita import wita_date
from kinerja_feedback.domain.working_days import WorkingCalendar

REMINDED_DUTIES = (Duty.FIRST_RESPONSE, Duty.RESOLUTION)
"""The duties reminders are sent for (verification shares the first response's date)."""


@dataclass(frozen=True, slots=True)
class OpenComplaint:
    """A complaint with its deadlines and what was done, by ids only."""

    feedback_id: str
    unit_id: str
    service_point_id: str
    category: str
    handler_employee_id: str | None
    status: ComplaintStatus
    verified: bool
    responded: bool
    first_response_due: date
    resolution_due: date


@dataclass(frozen=True, slots=True)
class DutyReminder:
    """A duty to remind of: its due date and the working days left until it."""

    complaint: OpenComplaint
    duty: Duty
    due_on: date
    working_days_left: int


def due_duty_reminders(
    complaints: Iterable[OpenComplaint],
    *,
    now: datetime,
    calendar: WorkingCalendar,
    lead_working_days: int,
) -> list[DutyReminder]:
    """The duties due a reminder at `now`: still owed and not overdue, with at most
    `lead_working_days` working days after today's WITA date up to the due date."""
    today = wita_date(now)
    due = []
    for complaint in complaints:
        deadlines = Deadlines(complaint.first_response_due, complaint.resolution_due)
        progress = Progress(complaint.status, complaint.verified, complaint.responded)
        states = duty_states(deadlines, progress, now)
        for duty in REMINDED_DUTIES:
            if states[duty] is not DutyState.DUE:
                continue
            due_on = (
                complaint.first_response_due
                if duty is Duty.FIRST_RESPONSE
                else complaint.resolution_due
            )
            left = calendar.working_days_between(today, due_on)
            if left <= lead_working_days:
                due.append(DutyReminder(complaint, duty, due_on, left))
    return due
