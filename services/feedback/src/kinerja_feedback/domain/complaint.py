"""Complaint lifecycle, duties and SP4N-LAPOR! deadlines (PermenPANRB 62/2018), counted in WITA
(docs/domain.md, complaints)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from kinerja_feedback.domain.wita import wita_date
from kinerja_feedback.domain.working_days import WorkingCalendar

DEFAULT_CALENDAR = WorkingCalendar()
"""Monday to Friday, no holidays: the service builds its own from settings and the calendar."""


class ComplaintStatus(StrEnum):
    """Where a complaint stands in its lifecycle."""

    RECEIVED = "received"
    VERIFIED = "verified"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    REOPENED = "reopened"


TRANSITIONS: Mapping[ComplaintStatus, frozenset[ComplaintStatus]] = MappingProxyType(
    {
        # Verification either accepts the complaint or rejects it (out of scope, no substance).
        ComplaintStatus.RECEIVED: frozenset({ComplaintStatus.VERIFIED, ComplaintStatus.REJECTED}),
        ComplaintStatus.VERIFIED: frozenset(
            {ComplaintStatus.IN_PROGRESS, ComplaintStatus.REJECTED}
        ),
        ComplaintStatus.IN_PROGRESS: frozenset(
            {ComplaintStatus.RESOLVED, ComplaintStatus.REJECTED}
        ),
        # A citizen who disagrees with the outcome reopens the complaint.
        ComplaintStatus.RESOLVED: frozenset({ComplaintStatus.REOPENED}),
        ComplaintStatus.REJECTED: frozenset({ComplaintStatus.REOPENED}),
        ComplaintStatus.REOPENED: frozenset({ComplaintStatus.IN_PROGRESS}),
    }
)
"""Every legal move: status -> the statuses it may go to. Anything else is illegal."""

OPEN_STATUSES: frozenset[ComplaintStatus] = frozenset(
    {
        ComplaintStatus.RECEIVED,
        ComplaintStatus.VERIFIED,
        ComplaintStatus.IN_PROGRESS,
        ComplaintStatus.REOPENED,
    }
)
"""Statuses in which the complaint still awaits a resolution."""


class IllegalTransition(ValueError):
    """Raised when a complaint is asked to move to a status its current one does not allow."""

    def __init__(self, current: ComplaintStatus, target: ComplaintStatus) -> None:
        """Describe the refused move and the moves that would have been allowed."""
        self.current = current
        self.target = target
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        super().__init__(
            f"a complaint cannot go from {current.value} to {target.value} (allowed: {allowed})"
        )


def can_transition(current: ComplaintStatus, target: ComplaintStatus) -> bool:
    """Tell whether the move from current to target is legal."""
    return target in TRANSITIONS[current]


def transition(current: ComplaintStatus, target: ComplaintStatus) -> ComplaintStatus:
    """Return the new status, or raise IllegalTransition if the move is not in the table."""
    if not can_transition(current, target):
        raise IllegalTransition(current, target)
    return target


class ComplaintCategory(StrEnum):
    """SP4N-LAPOR! category, which sets the resolution deadline."""

    INFORMATION_REQUEST = "information_request"
    SIMPLE_COMPLAINT = "simple_complaint"
    DISPUTE = "dispute"
    DISPUTE_FIELD_CHECK = "dispute_field_check"


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    """How deadlines are counted (docs/domain.md, complaints: timelines).

    PermenPANRB 62/2018 gives 3 working days for verification and the first response; the
    5/14/60 days of the resolution count working days by default and calendar days when
    FEEDBACK_COMPLAINT_RESOLUTION_COUNTING is calendar_days. The day of receipt is day zero.
    """

    first_response_working_days: int = 3
    resolution_days: Mapping[ComplaintCategory, int] = field(
        default_factory=lambda: MappingProxyType(
            {
                ComplaintCategory.INFORMATION_REQUEST: 5,
                ComplaintCategory.SIMPLE_COMPLAINT: 5,
                ComplaintCategory.DISPUTE: 14,
                ComplaintCategory.DISPUTE_FIELD_CHECK: 60,
            }
        )
    )
    resolution_in_working_days: bool = True


DEFAULT_DEADLINE_POLICY = DeadlinePolicy()


@dataclass(frozen=True, slots=True)
class Deadlines:
    """Last WITA dates (inclusive) of the duties: verification and the first response share
    the first date, the resolution has its own."""

    first_response_due: date
    resolution_due: date

    @property
    def verification_due(self) -> date:
        """Verification is owed within the same working days as the first response."""
        return self.first_response_due


class Duty(StrEnum):
    """What a unit owes on a complaint, each with its own deadline and state."""

    VERIFICATION = "verification"
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


class DutyState(StrEnum):
    """Where a duty stands at a moment."""

    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    LAPSED = "lapsed"
    """The complaint was closed (resolved or rejected) without the duty being done."""


@dataclass(frozen=True, slots=True)
class Progress:
    """What has happened on a complaint: its status, whether it was verified (it left
    `received`) and whether the unit responded to the citizen."""

    status: ComplaintStatus
    verified: bool
    responded: bool


def first_response_due(
    received_at: datetime, calendar: WorkingCalendar, policy: DeadlinePolicy
) -> date:
    """The last day for verification and the first response of a complaint received then."""
    return calendar.add_working_days(wita_date(received_at), policy.first_response_working_days)


def resolution_due(
    category: ComplaintCategory,
    clock_from: datetime,
    calendar: WorkingCalendar,
    policy: DeadlinePolicy,
) -> date:
    """The last day to resolve a complaint of a category whose resolution clock started then
    (the receipt, or the latest reopening)."""
    start = wita_date(clock_from)
    days = policy.resolution_days[category]
    if policy.resolution_in_working_days:
        return calendar.add_working_days(start, days)
    return start + timedelta(days=days)


def deadlines(
    category: ComplaintCategory,
    received_at: datetime,
    calendar: WorkingCalendar = DEFAULT_CALENDAR,
    policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
) -> Deadlines:
    """Compute the first-response and resolution due dates of a complaint received at a moment."""
    return Deadlines(
        first_response_due=first_response_due(received_at, calendar, policy),
        resolution_due=resolution_due(category, received_at, calendar, policy),
    )


def duty_states(deadlines: Deadlines, progress: Progress, now: datetime) -> dict[Duty, DutyState]:
    """The state of each duty at a moment (docs/domain.md, complaints: the first response).

    A due date is the last allowed day: a duty is overdue from 00:00 WITA the day after.
    Verification is done once the complaint left `received`; the first response only by a
    response to the citizen (a status change is not one); the resolution by resolving or
    rejecting. A complaint closed without a verification or response leaves that duty lapsed.
    """
    today = wita_date(now)
    open_ = progress.status in OPEN_STATUSES

    def state(done: bool, due: date) -> DutyState:
        if done:
            return DutyState.DONE
        if not open_:
            return DutyState.LAPSED
        return DutyState.OVERDUE if today > due else DutyState.DUE

    return {
        Duty.VERIFICATION: state(progress.verified, deadlines.verification_due),
        Duty.FIRST_RESPONSE: state(progress.responded, deadlines.first_response_due),
        Duty.RESOLUTION: state(not open_, deadlines.resolution_due),
    }


def overdue(deadlines: Deadlines, progress: Progress, now: datetime) -> list[str]:
    """List the duties (Duty values) whose deadline passed while they are still owed."""
    states = duty_states(deadlines, progress, now)
    return [str(duty) for duty, state in states.items() if state is DutyState.OVERDUE]
