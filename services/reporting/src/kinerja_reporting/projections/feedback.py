"""The feedback fold: count a feedback in, or out, of every total it touches.

A feedback is included in the IKM totals (of its service point and unit) exactly when its
scores are known, it is counted (not suspicious, not rejected) and it was not withdrawn;
it is included in the named employee's totals exactly when it is in the IKM totals and its
attribution to the employee counts (``staff_counted`` is not false: not held by the
anti-stuffing rules). Consecutive feedback events of a partition arrive as one list (a
single event is a list of one): the stored rows of their feedback are read once, every
event goes through the transitions in memory, then the changed rows and the net change of
each totals row are written with a few multi-row statements, so a repeated or reordered
event changes nothing twice. The units whose IKM moved get their flags evaluated
(``flags.py``), the employees whose totals moved their summaries published (``summaries.py``).
A row records when its scores were first applied (``applied_at``, the projection's clock at
that transaction), the end of the event lag from acceptance to the read model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from operator import add
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.ikm import normalise_answers
from kinerja_reporting.domain.periods import periods_containing
from kinerja_reporting.models import ELEMENTS, SCOPE_POINT, SCOPE_UNIT
from kinerja_reporting.projections import repository
from kinerja_reporting.projections.context import ChangedPeriods, Projection
from kinerja_reporting.projections.flags import evaluate_flags
from kinerja_reporting.projections.summaries import publish_summaries
from kinerja_shared.events.types.feedback import (
    FeedbackModerated,
    FeedbackSubmitted,
    FeedbackWithdrawn,
    ScoresReviewed,
)
from kinerja_shared.law.skm import MAX_SCORE, MIN_SCORE

FeedbackEvent = FeedbackSubmitted | FeedbackModerated | ScoresReviewed | FeedbackWithdrawn


_SCORE_COLUMNS = tuple(f"u{e}" for e in ELEMENTS)
_NO_SCORES: dict[str, int | None] = dict.fromkeys(_SCORE_COLUMNS)
#: Score column of each element code ("U1" -> "u1").
_COLUMN_OF = {f"U{e}": f"u{e}" for e in ELEMENTS}
_SCORES = range(MIN_SCORE, MAX_SCORE + 1)


def _answers(entry: dict[str, Any]) -> dict[int, int]:
    return {
        e: entry[column]
        for e, column in zip(ELEMENTS, _SCORE_COLUMNS, strict=True)
        if entry[column] is not None
    }


def _score_columns(payload: FeedbackSubmitted) -> dict[str, int | None]:
    """The u1..u9 columns of a submission (None where unanswered).

    Answers that are plainly valid (element codes, integer scores 1-4) are copied as they
    are; anything else goes through ``normalise_answers``, which refuses it as before.
    """
    columns = dict(_NO_SCORES)
    if not payload.answers:
        return columns
    for code, score in payload.answers.items():
        column = _COLUMN_OF.get(str(code))
        if column is None or type(score) is not int or score not in _SCORES:
            answers = normalise_answers({str(k): v for k, v in payload.answers.items()})
            return dict(_NO_SCORES) | {f"u{u.position + 1}": v for u, v in answers.items()}
        columns[column] = score
    return columns


@lru_cache(maxsize=4096)
def _period_keys(visit_date: date) -> tuple[str, ...]:
    """Keys of the month, quarter and year of a visit (a few hundred distinct dates)."""
    return tuple(p.key for p in periods_containing(visit_date))


def _staff_counted(staff_counted: bool | None) -> bool:
    """The stored attribution flag of an event's ``staff_counted``.

    Null (no employee named, or an event from before the field) follows ``counted``, so
    only an explicit false holds the scores back from the employee's totals.
    """
    return staff_counted is not False


def _submitted_state(payload: FeedbackSubmitted, entry: dict[str, Any]) -> dict[str, Any]:
    """The counting flags a submission seen after other events of its feedback still sets.

    A moderation carries the current ``counted`` and a review both flags; either is later
    than the submission, so it wins. A moderation says nothing of the attribution, so the
    submission's ``staff_counted`` stands unless a review decided it.
    """
    state: dict[str, Any] = {}
    if not entry["moderated"] and not entry["reviewed"]:
        state["counted"] = payload.counted
    if not entry["reviewed"]:
        state["staff_counted"] = _staff_counted(payload.staff_counted)
    return state


def _reviewed_state(payload: ScoresReviewed) -> dict[str, Any]:
    """The flags a review sets: both decisions, and that they win over the submission's."""
    return {
        "counted": payload.counted,
        "staff_counted": _staff_counted(payload.staff_counted),
        "reviewed": True,
    }


def _inclusion(entry: dict[str, Any]) -> tuple[bool, bool]:
    """Whether a feedback belongs in the IKM totals, and in the named employee's totals."""
    included = bool(entry["has_scores"] and entry["counted"] and not entry["withdrawn"])
    return included, included and bool(entry["staff_counted"])


def _empty_entry(feedback_id: str, service_point_id: str, unit_id: str) -> dict[str, Any]:
    return {
        "feedback_id": feedback_id,
        "service_point_id": service_point_id,
        "unit_id": unit_id,
        "employee_id": None,
        "visit_date": None,
        **{f"u{e}": None for e in ELEMENTS},
        "overall_rating": None,
        "has_scores": False,
        "counted": False,
        "staff_counted": True,
        "moderated": False,
        "reviewed": False,
        "withdrawn": False,
        "included": False,
        "staff_included": False,
        "applied_at": None,
    }


@dataclass
class FeedbackFold:
    """A batch of feedback events folded in memory: per-feedback rows and net deltas.

    ``entries`` starts with the stored rows of the batch's feedback; each event goes
    through the same transitions as the one-by-one handlers, and every count in or out
    adds to the net amounts of the totals rows it touches (rows touched with a net zero
    are still written, as the one-by-one handlers create them).
    """

    entries: dict[str, dict[str, Any]]
    applied_at: datetime
    dirty: set[str] = field(default_factory=set)
    ikm: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    staff: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    units: ChangedPeriods = field(default_factory=ChangedPeriods)
    employees: ChangedPeriods = field(default_factory=ChangedPeriods)

    def apply(self, payload: FeedbackEvent, at: datetime) -> None:
        """Apply one event."""
        if isinstance(payload, FeedbackSubmitted):
            self._submitted(payload, at)
        elif isinstance(payload, FeedbackModerated):
            self._mark(payload, {"counted": payload.counted, "moderated": True}, at)
        elif isinstance(payload, ScoresReviewed):
            self._mark(payload, _reviewed_state(payload), at)
        else:
            self._mark(payload, {"withdrawn": True}, at)

    def _submitted(self, payload: FeedbackSubmitted, at: datetime) -> None:
        values: dict[str, Any] = {
            "service_point_id": payload.service_point_id,
            "unit_id": payload.unit_id,
            "employee_id": payload.employee_id,
            "visit_date": payload.visit_date,
            "overall_rating": payload.overall_rating,
            "has_scores": True,
            "applied_at": self.applied_at,
            **_score_columns(payload),
        }
        entry = self.entries.get(payload.feedback_id)
        if entry is None:
            staff_counted = _staff_counted(payload.staff_counted)
            entry = _empty_entry(payload.feedback_id, payload.service_point_id, payload.unit_id)
            entry |= values | {
                "counted": payload.counted,
                "staff_counted": staff_counted,
                "included": payload.counted,
                "staff_included": payload.counted and staff_counted,
            }
            self.entries[payload.feedback_id] = entry
            self.dirty.add(payload.feedback_id)
            if entry["included"]:
                self._move_ikm(entry, 1, at)
            if entry["staff_included"]:
                self._move_staff(entry, 1, at)
            return
        if entry["has_scores"]:
            return  # the same feedback again: already applied
        entry |= values | _submitted_state(payload, entry)
        self.dirty.add(payload.feedback_id)
        self._reconcile(entry, at)

    def _mark(
        self,
        payload: FeedbackModerated | ScoresReviewed | FeedbackWithdrawn,
        state: dict[str, Any],
        at: datetime,
    ) -> None:
        entry = self.entries.get(payload.feedback_id)
        self.dirty.add(payload.feedback_id)
        if entry is None:
            entry = _empty_entry(payload.feedback_id, payload.service_point_id, payload.unit_id)
            self.entries[payload.feedback_id] = entry | state
            return
        entry |= state
        self._reconcile(entry, at)

    def _reconcile(self, entry: dict[str, Any], at: datetime) -> None:
        included, staff_included = _inclusion(entry)
        if included != bool(entry["included"]):
            entry["included"] = included
            self._move_ikm(entry, 1 if included else -1, at)
        if staff_included != bool(entry["staff_included"]):
            entry["staff_included"] = staff_included
            self._move_staff(entry, 1 if staff_included else -1, at)

    def _move_ikm(self, entry: dict[str, Any], sign: int, at: datetime) -> None:
        answers = _answers(entry)
        if answers:
            keys = _period_keys(entry["visit_date"])
            amounts = _amounts(answers, sign)
            for key in keys:
                for scope, scope_id in (
                    (SCOPE_POINT, entry["service_point_id"]),
                    (SCOPE_UNIT, entry["unit_id"]),
                ):
                    _add(self.ikm.setdefault((scope, scope_id, key), [0] * 19), amounts)
            self.units.touch(entry["unit_id"], keys, at)

    def _move_staff(self, entry: dict[str, Any], sign: int, at: datetime) -> None:
        employee_id = entry["employee_id"]
        if employee_id:
            keys = _period_keys(entry["visit_date"])
            rating = entry["overall_rating"]
            extra = [sign * (rating or 0), sign * int(bool(rating))]
            amounts = _amounts(_answers(entry), sign) + extra
            for key in keys:
                _add(self.staff.setdefault((employee_id, key), [0] * 21), amounts)
            self.employees.touch(employee_id, keys, at)


def _amounts(answers: dict[int, int], sign: int) -> list[int]:
    """The 19 counters of a totals row one respondent moves: respondents, s1..s9, n1..n9."""
    amounts = [sign] + [0] * 18
    for element, score in answers.items():
        amounts[element] = sign * score
        amounts[9 + element] = sign
    return amounts


def _add(total: list[int], amounts: list[int]) -> None:
    total[:] = map(add, total, amounts)


async def apply_feedback(
    session: AsyncSession,
    *,
    projection: Projection,
    events: Sequence[tuple[FeedbackEvent, datetime]],
) -> None:
    """Apply feedback events in order with a few statements; same result as one by one.

    One read of the batch's feedback rows, the transitions folded in memory, then one
    upsert of the changed feedback rows, one arithmetic upsert per totals table, the flags
    of the units whose IKM moved and the summaries of the employees whose totals moved
    (each published once per batch).
    """
    if not events:
        return
    ids = list(dict.fromkeys(payload.feedback_id for payload, _ in events))
    fold = FeedbackFold(
        entries=await repository.feedback_entries(session, ids), applied_at=projection.clock()
    )
    for payload, at in events:
        fold.apply(payload, at)
    await repository.save_feedback_entries(session, [fold.entries[i] for i in sorted(fold.dirty)])
    await repository.add_to_ikm_totals(
        session,
        [
            {
                "scope": scope,
                "scope_id": scope_id,
                "period_key": key,
                **dict(zip(repository.IKM_COLUMNS, v, strict=True)),
            }
            for (scope, scope_id, key), v in sorted(fold.ikm.items())
        ],
    )
    staff = [
        {
            "employee_id": employee_id,
            "period_key": key,
            **dict(zip(repository.STAFF_COLUMNS, v, strict=True)),
        }
        for (employee_id, key), v in sorted(fold.staff.items())
    ]
    totals = {}
    if projection.publish:  # the summaries need the totals: the increment answers them
        totals = await repository.add_to_staff_totals_returning(session, staff)
    else:
        await repository.add_to_staff_totals(session, staff)
    await evaluate_flags(session, projection=projection, changed=fold.units.changed)
    await publish_summaries(
        session, projection=projection, changed=fold.employees.changed, totals=totals
    )
