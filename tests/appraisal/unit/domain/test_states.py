"""State machines: every legal move, and every illegal one refused."""

from __future__ import annotations

import itertools
from collections.abc import Container
from enum import StrEnum

import pytest

from kinerja_appraisal.domain.errors import AppraisalRuleError
from kinerja_appraisal.domain.states import (
    ASSESSMENT_MACHINE,
    OBJECTION_MACHINE,
    PERIOD_MACHINE,
    SKP_MACHINE,
    AssessmentAction,
    AssessmentState,
    IllegalTransition,
    MissingReturnComments,
    ObjectionAction,
    ObjectionState,
    PeriodAction,
    PeriodState,
    SkpAction,
    SkpState,
    SkpTransition,
    StateMachine,
    next_assessment_state,
    next_objection_state,
    next_period_state,
    skp_transition,
)

# The legal moves, written out independently of the implementation's tables.
PERIOD_MOVES = {
    (PeriodState.PLANNING, PeriodAction.START): PeriodState.RUNNING,
    (PeriodState.RUNNING, PeriodAction.BEGIN_ASSESSMENT): PeriodState.ASSESSMENT,
    (PeriodState.ASSESSMENT, PeriodAction.CLOSE): PeriodState.CLOSED,
}
SKP_MOVES = {
    (SkpState.DRAFT, SkpAction.EDIT): SkpState.DRAFT,
    (SkpState.DRAFT, SkpAction.SUBMIT): SkpState.SUBMITTED,
    (SkpState.SUBMITTED, SkpAction.APPROVE): SkpState.APPROVED,
    (SkpState.SUBMITTED, SkpAction.RETURN): SkpState.RETURNED,
    (SkpState.RETURNED, SkpAction.EDIT): SkpState.DRAFT,
    (SkpState.RETURNED, SkpAction.SUBMIT): SkpState.SUBMITTED,
    (SkpState.APPROVED, SkpAction.CHANGE): SkpState.DRAFT,
}
ASSESSMENT_MOVES = {
    (AssessmentState.DRAFT, AssessmentAction.EDIT): AssessmentState.DRAFT,
    (AssessmentState.DRAFT, AssessmentAction.FINALIZE): AssessmentState.FINALIZED,
    (AssessmentState.FINALIZED, AssessmentAction.ACKNOWLEDGE): AssessmentState.ACKNOWLEDGED,
}
OBJECTION_MOVES = {
    (ObjectionState.FILED, ObjectionAction.UPHOLD): ObjectionState.UPHELD,
    (ObjectionState.FILED, ObjectionAction.CHANGE): ObjectionState.CHANGED,
}


def _illegal(
    moves: Container[tuple[StrEnum, StrEnum]],
    states: type[StrEnum],
    actions: type[StrEnum],
) -> list[tuple[StrEnum, StrEnum]]:
    """Return every (state, action) pair that is not a legal move."""
    return [pair for pair in itertools.product(states, actions) if pair not in moves]


def _ids(pair: tuple[StrEnum, StrEnum]) -> str:
    return f"{pair[0]}-{pair[1]}"


# -------------------------------------------------------------------------------- period


@pytest.mark.parametrize(("move", "after"), PERIOD_MOVES.items(), ids=_ids)
def test_a_period_moves_forward_one_step_at_a_time(
    move: tuple[PeriodState, PeriodAction], after: PeriodState
) -> None:
    assert next_period_state(*move) is after


@pytest.mark.parametrize(
    "move",
    _illegal(PERIOD_MOVES, PeriodState, PeriodAction),
    ids=_ids,
)
def test_a_period_refuses_skipping_going_back_and_acting_when_closed(
    move: tuple[PeriodState, PeriodAction],
) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_period_state(*move)

    assert (caught.value.current, caught.value.action) == move


def test_a_period_runs_its_whole_life_cycle() -> None:
    state = PeriodState.PLANNING
    for action in (PeriodAction.START, PeriodAction.BEGIN_ASSESSMENT, PeriodAction.CLOSE):
        state = next_period_state(state, action)

    assert state is PeriodState.CLOSED
    assert PERIOD_MACHINE.is_final(state)


# ------------------------------------------------------------------------------ SKP plan


@pytest.mark.parametrize(("move", "after"), SKP_MOVES.items(), ids=_ids)
def test_an_skp_plan_makes_its_legal_moves(
    move: tuple[SkpState, SkpAction], after: SkpState
) -> None:
    assert skp_transition(*move, comments="Tambahkan IKI kualitas.").state is after


@pytest.mark.parametrize(
    "move",
    _illegal(SKP_MOVES, SkpState, SkpAction),
    ids=_ids,
)
def test_an_skp_plan_refuses_every_other_move(move: tuple[SkpState, SkpAction]) -> None:
    with pytest.raises(IllegalTransition) as caught:
        skp_transition(*move, comments="Tambahkan IKI kualitas.")

    assert (caught.value.current, caught.value.action) == move


def test_changing_an_approved_skp_plan_asks_for_a_new_version_in_draft() -> None:
    assert skp_transition(SkpState.APPROVED, SkpAction.CHANGE) == SkpTransition(
        state=SkpState.DRAFT, new_version=True
    )


@pytest.mark.parametrize(
    "move", [move for move in SKP_MOVES if move != (SkpState.APPROVED, SkpAction.CHANGE)], ids=_ids
)
def test_other_skp_moves_keep_the_same_version(move: tuple[SkpState, SkpAction]) -> None:
    assert skp_transition(*move, comments="Perbaiki target waktu.").new_version is False


@pytest.mark.parametrize("comments", [None, "", "   \n"])
def test_returning_an_skp_plan_without_comments_is_refused(comments: str | None) -> None:
    with pytest.raises(MissingReturnComments):
        skp_transition(SkpState.SUBMITTED, SkpAction.RETURN, comments=comments)


def test_a_returned_skp_plan_can_be_edited_and_submitted_again() -> None:
    returned = skp_transition(
        SkpState.SUBMITTED, SkpAction.RETURN, comments="Target terlalu rendah."
    )
    edited = skp_transition(returned.state, SkpAction.EDIT)
    resubmitted = skp_transition(edited.state, SkpAction.SUBMIT)

    assert (returned.state, edited.state, resubmitted.state) == (
        SkpState.RETURNED,
        SkpState.DRAFT,
        SkpState.SUBMITTED,
    )
    assert skp_transition(SkpState.RETURNED, SkpAction.SUBMIT).state is SkpState.SUBMITTED


def test_a_submitted_skp_plan_cannot_be_edited() -> None:
    with pytest.raises(IllegalTransition, match="cannot 'edit' when the SKP plan is 'submitted'"):
        skp_transition(SkpState.SUBMITTED, SkpAction.EDIT)


# ---------------------------------------------------------------------------- assessment


@pytest.mark.parametrize(("move", "after"), ASSESSMENT_MOVES.items(), ids=_ids)
def test_an_assessment_makes_its_legal_moves(
    move: tuple[AssessmentState, AssessmentAction], after: AssessmentState
) -> None:
    assert next_assessment_state(*move) is after


@pytest.mark.parametrize(
    "move",
    _illegal(ASSESSMENT_MOVES, AssessmentState, AssessmentAction),
    ids=_ids,
)
def test_an_assessment_refuses_every_other_move(
    move: tuple[AssessmentState, AssessmentAction],
) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_assessment_state(*move)

    assert (caught.value.current, caught.value.action) == move


@pytest.mark.parametrize("state", [AssessmentState.FINALIZED, AssessmentState.ACKNOWLEDGED])
def test_a_finalized_assessment_is_immutable(state: AssessmentState) -> None:
    assert not ASSESSMENT_MACHINE.can(state, AssessmentAction.EDIT)
    assert not ASSESSMENT_MACHINE.can(state, AssessmentAction.FINALIZE)


# ----------------------------------------------------------------------------- objection


@pytest.mark.parametrize(("move", "after"), OBJECTION_MOVES.items(), ids=_ids)
def test_an_objection_is_decided_once(
    move: tuple[ObjectionState, ObjectionAction], after: ObjectionState
) -> None:
    assert next_objection_state(*move) is after


@pytest.mark.parametrize(
    "move",
    _illegal(OBJECTION_MOVES, ObjectionState, ObjectionAction),
    ids=_ids,
)
def test_an_objection_decision_is_final(move: tuple[ObjectionState, ObjectionAction]) -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_objection_state(*move)

    assert (caught.value.current, caught.value.action) == move
    assert "none (final state)" in str(caught.value)


# ------------------------------------------------------------------ the machines as data


@pytest.mark.parametrize(
    ("machine", "moves"),
    [
        (PERIOD_MACHINE, PERIOD_MOVES),
        (SKP_MACHINE, SKP_MOVES),
        (ASSESSMENT_MACHINE, ASSESSMENT_MOVES),
        (OBJECTION_MACHINE, OBJECTION_MOVES),
    ],
    ids=["period", "skp", "assessment", "objection"],
)
def test_each_machine_has_exactly_the_documented_transitions(
    machine: StateMachine[StrEnum, StrEnum], moves: dict[tuple[StrEnum, StrEnum], StrEnum]
) -> None:
    assert dict(machine.transitions) == moves


def test_a_machine_lists_the_actions_allowed_in_a_state() -> None:
    assert SKP_MACHINE.allowed(SkpState.SUBMITTED) == {SkpAction.APPROVE, SkpAction.RETURN}
    assert SKP_MACHINE.can(SkpState.DRAFT, SkpAction.SUBMIT)
    assert not SKP_MACHINE.is_final(SkpState.APPROVED)
    assert OBJECTION_MACHINE.is_final(ObjectionState.UPHELD)


def test_an_illegal_transition_says_what_is_allowed_instead() -> None:
    with pytest.raises(IllegalTransition) as caught:
        next_period_state(PeriodState.PLANNING, PeriodAction.CLOSE)

    assert str(caught.value) == (
        "cannot 'close' when the period is 'planning'; allowed actions: start"
    )
    assert caught.value.allowed == {PeriodAction.START}
    assert isinstance(caught.value, AppraisalRuleError)
