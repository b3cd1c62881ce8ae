"""State machines of periods, SKP plans, assessments and objections (keberatan).

Each machine is an explicit transition table; any (state, action) pair not in its table
raises `IllegalTransition`. The objection window (PP 30/2019 art. 59) is counted in
calendar days in Denpasar local time (WITA, UTC+8).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar

from kinerja_appraisal.domain.errors import AppraisalRuleError

#: Denpasar's time zone (Asia/Makassar, no daylight saving): the calendar objections use.
WITA = timezone(timedelta(hours=8), "WITA")

#: Days an employee has to object to a final appraisal (PP 30/2019 art. 59).
OBJECTION_WINDOW_DAYS = 14


class IllegalTransition(AppraisalRuleError):
    """An action is not allowed in the current state of a machine."""

    def __init__(
        self,
        current: StrEnum,
        action: StrEnum,
        allowed: Iterable[StrEnum] = (),
        *,
        subject: str | None = None,
    ) -> None:
        self.current = current
        self.action = action
        self.allowed = frozenset(allowed)
        subject = subject or type(current).__name__.removesuffix("State").lower()
        names = ", ".join(sorted(str(item) for item in self.allowed)) or "none (final state)"
        super().__init__(
            f"cannot '{action}' when the {subject} is '{current}'; allowed actions: {names}"
        )


StateT = TypeVar("StateT", bound=StrEnum)
ActionT = TypeVar("ActionT", bound=StrEnum)


class StateMachine(Generic[StateT, ActionT]):
    """A finite state machine given by an explicit transition table."""

    def __init__(self, subject: str, transitions: Mapping[tuple[StateT, ActionT], StateT]) -> None:
        """Build the machine for `subject` (e.g. 'period') from its transition table."""
        self.subject = subject
        self.transitions: Mapping[tuple[StateT, ActionT], StateT] = MappingProxyType(
            dict(transitions)
        )

    def apply(self, current: StateT, action: ActionT) -> StateT:
        """Return the state after `action`, or raise `IllegalTransition`."""
        try:
            return self.transitions[(current, action)]
        except KeyError:
            raise IllegalTransition(
                current, action, self.allowed(current), subject=self.subject
            ) from None

    def can(self, current: StateT, action: ActionT) -> bool:
        """Tell whether `action` is allowed in `current`."""
        return (current, action) in self.transitions

    def allowed(self, current: StateT) -> frozenset[ActionT]:
        """Return the actions allowed in `current`."""
        return frozenset(action for state, action in self.transitions if state == current)

    def is_final(self, state: StateT) -> bool:
        """Tell whether no action is allowed in `state`."""
        return not self.allowed(state)


# ------------------------------------------------------------------------------- Period


class PeriodState(StrEnum):
    """Life cycle of an appraisal period (monthly, quarterly or annual)."""

    PLANNING = "planning"
    RUNNING = "running"
    ASSESSMENT = "assessment"
    CLOSED = "closed"


class PeriodAction(StrEnum):
    """What BKPSDM can do to a period."""

    START = "start"
    BEGIN_ASSESSMENT = "begin_assessment"
    CLOSE = "close"


#: planning -> running -> assessment -> closed; no skipping, no going back.
PERIOD_MACHINE = StateMachine[PeriodState, PeriodAction](
    "period",
    {
        (PeriodState.PLANNING, PeriodAction.START): PeriodState.RUNNING,
        (PeriodState.RUNNING, PeriodAction.BEGIN_ASSESSMENT): PeriodState.ASSESSMENT,
        (PeriodState.ASSESSMENT, PeriodAction.CLOSE): PeriodState.CLOSED,
    },
)


def next_period_state(current: PeriodState, action: PeriodAction) -> PeriodState:
    """Return the period's state after `action` (closing also needs the curve to hold)."""
    return PERIOD_MACHINE.apply(current, action)


# ------------------------------------------------------------------------------ SKP plan


class SkpState(StrEnum):
    """Life cycle of one version of an SKP (Sasaran Kinerja Pegawai) plan."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class SkpAction(StrEnum):
    """What the employee (edit, submit, change) or supervisor (approve, return) can do."""

    EDIT = "edit"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    CHANGE = "change"


#: Editing is allowed only in draft or after a return; an approved plan is changed
#: through a new version, which starts in draft.
SKP_MACHINE = StateMachine[SkpState, SkpAction](
    "SKP plan",
    {
        (SkpState.DRAFT, SkpAction.EDIT): SkpState.DRAFT,
        (SkpState.DRAFT, SkpAction.SUBMIT): SkpState.SUBMITTED,
        (SkpState.SUBMITTED, SkpAction.APPROVE): SkpState.APPROVED,
        (SkpState.SUBMITTED, SkpAction.RETURN): SkpState.RETURNED,
        (SkpState.RETURNED, SkpAction.EDIT): SkpState.DRAFT,
        (SkpState.RETURNED, SkpAction.SUBMIT): SkpState.SUBMITTED,
        (SkpState.APPROVED, SkpAction.CHANGE): SkpState.DRAFT,
    },
)


class MissingReturnComments(AppraisalRuleError, ValueError):
    """A supervisor returned an SKP plan without saying what to change."""


@dataclass(frozen=True, slots=True)
class SkpTransition:
    """The outcome of an SKP action: the new state and whether it is a new version."""

    state: SkpState
    #: True when the caller must create a new plan version (the approved one stays as is).
    new_version: bool


def skp_transition(
    current: SkpState, action: SkpAction, *, comments: str | None = None
) -> SkpTransition:
    """Apply `action` to an SKP plan; returning it requires non-blank `comments`."""
    state = SKP_MACHINE.apply(current, action)
    if action is SkpAction.RETURN and not (comments or "").strip():
        raise MissingReturnComments("returning an SKP plan requires comments for the employee")
    return SkpTransition(
        state=state, new_version=current is SkpState.APPROVED and action is SkpAction.CHANGE
    )


# ---------------------------------------------------------------------------- Assessment


class AssessmentState(StrEnum):
    """Life cycle of an appraisal (penilaian) of one employee for one period."""

    DRAFT = "draft"
    FINALIZED = "finalized"
    ACKNOWLEDGED = "acknowledged"


class AssessmentAction(StrEnum):
    """What the appraiser (edit, finalize) or the employee (acknowledge) can do."""

    EDIT = "edit"
    FINALIZE = "finalize"
    ACKNOWLEDGE = "acknowledge"


#: Only a draft can be edited; a finalized assessment is immutable, and the employee
#: acknowledging it changes nothing in it. An objection is a separate record.
ASSESSMENT_MACHINE = StateMachine[AssessmentState, AssessmentAction](
    "assessment",
    {
        (AssessmentState.DRAFT, AssessmentAction.EDIT): AssessmentState.DRAFT,
        (AssessmentState.DRAFT, AssessmentAction.FINALIZE): AssessmentState.FINALIZED,
        (
            AssessmentState.FINALIZED,
            AssessmentAction.ACKNOWLEDGE,
        ): AssessmentState.ACKNOWLEDGED,
    },
)


def next_assessment_state(current: AssessmentState, action: AssessmentAction) -> AssessmentState:
    """Return the assessment's state after `action`."""
    return ASSESSMENT_MACHINE.apply(current, action)


# ----------------------------------------------------------------------------- Objection


class ObjectionState(StrEnum):
    """Life cycle of an objection (keberatan) to a final appraisal."""

    FILED = "filed"
    #: The higher supervisor kept the appraisal as it was (final).
    UPHELD = "upheld"
    #: The higher supervisor changed the appraisal's result (final).
    CHANGED = "changed"


class ObjectionAction(StrEnum):
    """The decision of the supervisor's own supervisor."""

    UPHOLD = "uphold"
    CHANGE = "change"


#: The decision is final: upheld and changed allow nothing further.
OBJECTION_MACHINE = StateMachine[ObjectionState, ObjectionAction](
    "objection",
    {
        (ObjectionState.FILED, ObjectionAction.UPHOLD): ObjectionState.UPHELD,
        (ObjectionState.FILED, ObjectionAction.CHANGE): ObjectionState.CHANGED,
    },
)


def next_objection_state(current: ObjectionState, action: ObjectionAction) -> ObjectionState:
    """Return the objection's state after the decision `action`."""
    return OBJECTION_MACHINE.apply(current, action)


def _local_date(moment: datetime, tz: tzinfo) -> date:
    """Return the calendar date of an aware `moment` in `tz`; refuse naive datetimes."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("objection times must be timezone-aware datetimes")
    return moment.astimezone(tz).date()


def objection_deadline(
    finalized_at: datetime, window_days: int = OBJECTION_WINDOW_DAYS, *, tz: tzinfo = WITA
) -> date:
    """Return the last day (inclusive) on which an objection to the appraisal may be filed.

    The day of finalisation is day 0; day `window_days` is the last day, to its end in
    `tz`. An appraisal finalised on 1 March at any hour may be objected to until
    15 March 23:59:59 WITA; from 16 March 00:00 WITA it is too late.
    """
    if window_days < 0:
        raise ValueError(f"window_days cannot be negative, got {window_days}")
    return _local_date(finalized_at, tz) + timedelta(days=window_days)


def can_file_objection(
    finalized_at: datetime,
    now: datetime,
    window_days: int = OBJECTION_WINDOW_DAYS,
    *,
    tz: tzinfo = WITA,
) -> bool:
    """Tell whether an objection may be filed at `now` (day 14 allowed, day 15 refused)."""
    deadline = objection_deadline(finalized_at, window_days, tz=tz)
    today = _local_date(now, tz)
    return finalized_at <= now and today <= deadline
