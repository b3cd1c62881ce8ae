"""Complaint lifecycle and SP4N-LAPOR! deadlines (PermenPANRB 62/2018), counted in WITA."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import MappingProxyType

from kinerja_feedback.domain.wita import wita_date

_SATURDAY = 5


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


def allowed_transitions(current: ComplaintStatus) -> frozenset[ComplaintStatus]:
    """Return the statuses a complaint in this status may move to."""
    return TRANSITIONS[current]


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
    """How deadlines are counted; the defaults follow SP4N-LAPOR! and are configurable."""

    # All periods count working days (Monday to Friday, minus the given holidays): PermenPANRB
    # 62/2018 counts the 3-day first response in working days, and the 5/14/60 "hari" of the
    # resolution are read the same way, as LAPOR! does. The day of receipt is day zero.

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
    """Last WITA dates (inclusive) for the first response and for the resolution."""

    first_response_due: date
    resolution_due: date


class OverdueDeadline(StrEnum):
    """A deadline that has passed while its duty is still open."""

    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


def is_working_day(day: date, holidays: frozenset[date] = frozenset()) -> bool:
    """Tell whether a day is Monday to Friday and not a listed holiday."""
    return day.weekday() < _SATURDAY and day not in holidays


def add_working_days(start: date, n: int, holidays: frozenset[date] = frozenset()) -> date:
    """Return the date n working days after start (start itself is day zero, not counted)."""
    if n < 0:
        raise ValueError(f"the number of working days must not be negative, got {n}")
    day = start
    remaining = n
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            remaining -= 1
    return day


def deadlines(
    category: ComplaintCategory,
    received_at: datetime,
    holidays: frozenset[date] = frozenset(),
    policy: DeadlinePolicy = DEFAULT_DEADLINE_POLICY,
) -> Deadlines:
    """Compute the first-response and resolution due dates of a complaint received at a moment."""
    received = wita_date(received_at)
    days = policy.resolution_days[category]
    resolution_due = (
        add_working_days(received, days, holidays)
        if policy.resolution_in_working_days
        else received + timedelta(days=days)
    )
    return Deadlines(
        first_response_due=add_working_days(received, policy.first_response_working_days, holidays),
        resolution_due=resolution_due,
    )


def overdue(deadlines: Deadlines, status: ComplaintStatus, now: datetime) -> list[str]:
    """List the deadlines (OverdueDeadline values) that have passed with their duty still open."""
    # A due date is the last allowed day: the deadline is overdue from 00:00 WITA the day after.
    # The first response is owed while the complaint is still only received; the resolution is
    # owed while it is open (received, verified, in progress or reopened).
    today = wita_date(now)
    late: list[str] = []
    if status is ComplaintStatus.RECEIVED and today > deadlines.first_response_due:
        late.append(OverdueDeadline.FIRST_RESPONSE)
    if status in OPEN_STATUSES and today > deadlines.resolution_due:
        late.append(OverdueDeadline.RESOLUTION)
    return late
