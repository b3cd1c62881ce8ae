"""SQL of the write side: the rows every event changes, and the reads the changes need."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Select, Table, and_, bindparam, delete, select, union, update
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.feedback_summary import StaffFeedbackTotals
from kinerja_reporting.domain.ikm import ElementTotals
from kinerja_reporting.models import (
    APPRAISAL_PERIOD,
    ASSESSMENT,
    DIRECTORY_VERSION,
    ELEMENTS,
    EMPLOYEE,
    FEEDBACK,
    FOLLOW_UP_ACTION,
    FOLLOW_UP_PLAN,
    IKM_TOTALS,
    ORGANISATION_PREDIKAT,
    READ_MODELS,
    SCOPE_UNIT,
    SERVICE_POINT,
    SERVICE_USERS,
    STAFF_TOTALS,
    TOTALS_COLUMNS,
    UNIT,
    UNIT_FLAG,
    UNIT_TREE,
)
from kinerja_reporting.storage import (
    increment,
    increment_returning,
    insert_missing,
    upsert,
    upsert_in_order,
    upsert_many,
)

# --- feedback and the totals it moves -------------------------------------------------------

#: The counters of an IKM totals row, in the order the feedback fold keeps them.
IKM_COLUMNS = ("respondents", *(f"s{e}" for e in ELEMENTS), *(f"n{e}" for e in ELEMENTS))
#: The counters of a staff totals row: the IKM ones and the overall rating.
STAFF_COLUMNS = (*IKM_COLUMNS, "overall_sum", "overall_count")

#: Ids per IN (...) list, well below SQLite's and asyncpg's parameter limits.
IN_CHUNK = 500

#: Built once (constructing a statement costs more CPU than a one-row select on SQLite).
_FEEDBACK_ENTRIES = select(FEEDBACK).where(
    FEEDBACK.c.feedback_id.in_(bindparam("ids", expanding=True))
)


async def feedback_entries(
    session: AsyncSession, feedback_ids: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """The compact rows of some feedback, by id (absent ids have none)."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(feedback_ids), IN_CHUNK):
        rows = await session.execute(
            _FEEDBACK_ENTRIES, {"ids": list(feedback_ids[start : start + IN_CHUNK])}
        )
        for row in rows:
            found[row.feedback_id] = dict(row._mapping)
    return found


async def save_feedback_entries(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the full current state of some feedback rows (one statement)."""
    await upsert_many(session, FEEDBACK, rows)


async def add_to_ikm_totals(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Move IKM totals rows (scope, scope id, period key) by the amounts of ``IKM_COLUMNS``."""
    await increment(session, IKM_TOTALS, rows, IKM_COLUMNS)


async def add_to_staff_totals(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Move staff totals rows (employee id, period key) by the amounts of ``STAFF_COLUMNS``."""
    await increment(session, STAFF_TOTALS, rows, STAFF_COLUMNS)


async def add_to_staff_totals_returning(
    session: AsyncSession, rows: Sequence[dict[str, Any]]
) -> dict[tuple[str, str], StaffFeedbackTotals]:
    """``add_to_staff_totals``, answering with the totals of those rows afterwards, by
    (employee id, period key)."""
    found = await increment_returning(session, STAFF_TOTALS, rows, STAFF_COLUMNS)
    return {
        (r.employee_id, r.period_key): StaffFeedbackTotals.from_counters(r._mapping) for r in found
    }


# --- improvement flags ----------------------------------------------------------------------


class StoredFlag(NamedTuple):
    """What the flag rule compares with: the stored state of one unit's flag for a period."""

    active: bool
    reasons: list[dict[str, Any]]
    respondents: int


@dataclass(frozen=True)
class FlagInputs:
    """Everything a flag evaluation reads, by (unit id, period key)."""

    totals: dict[tuple[str, str], ElementTotals]
    service_users: dict[tuple[str, str], int]
    stored: dict[tuple[str, str], StoredFlag]


def _flag_inputs_statement() -> Select[Any]:
    # Built once: constructing this statement costs more CPU than running it, and its
    # cache key is then computed once too. The id lists are expanding parameters.
    units: BindParameter[str] = bindparam("units", expanding=True)
    keys: BindParameter[str] = bindparam("keys", expanding=True)
    flag_keys: BindParameter[str] = bindparam("flag_keys", expanding=True)
    t, u, f = IKM_TOTALS, SERVICE_USERS, UNIT_FLAG
    pairs = union(
        select(t.c.scope_id.label("unit_id"), t.c.period_key).where(
            t.c.scope == SCOPE_UNIT, t.c.scope_id.in_(units), t.c.period_key.in_(keys)
        ),
        select(u.c.unit_id, u.c.period_key).where(u.c.unit_id.in_(units), u.c.period_key.in_(keys)),
        select(f.c.unit_id, f.c.period_key).where(
            f.c.unit_id.in_(units), f.c.period_key.in_(flag_keys)
        ),
    ).subquery()
    joined = (
        pairs.outerjoin(
            t,
            and_(
                t.c.scope == SCOPE_UNIT,
                t.c.scope_id == pairs.c.unit_id,
                t.c.period_key == pairs.c.period_key,
            ),
        )
        .outerjoin(u, and_(u.c.unit_id == pairs.c.unit_id, u.c.period_key == pairs.c.period_key))
        .outerjoin(
            f,
            and_(
                f.c.unit_id == pairs.c.unit_id,
                f.c.period_key == pairs.c.period_key,
                f.c.period_key.in_(flag_keys),
            ),
        )
    )
    columns = [
        pairs.c.unit_id,
        pairs.c.period_key,
        t.c.scope.label("totals_scope"),
        *(t.c[c] for c in TOTALS_COLUMNS),
        u.c.service_users,
        f.c.unit_id.label("flag_unit_id"),
        f.c.active.label("flag_active"),
        f.c.reasons.label("flag_reasons"),
        f.c.respondents.label("flag_respondents"),
    ]
    return select(*columns).select_from(joined)


_FLAG_INPUTS = _flag_inputs_statement()


async def flag_inputs(
    session: AsyncSession,
    unit_ids: Iterable[str],
    period_keys: Iterable[str],
    flag_period_keys: Iterable[str],
) -> FlagInputs:
    """Own IKM totals and service users of some units in ``period_keys``, and their stored
    flags in ``flag_period_keys``, in one statement.

    The (unit, period) pairs present in any of the three tables are collected first, then
    each table is joined to them, so one round trip returns what three queries would.
    """
    rows = await session.execute(
        _FLAG_INPUTS,
        {
            "units": list(unit_ids),
            "keys": list(period_keys),
            "flag_keys": list(flag_period_keys),
        },
    )
    inputs = FlagInputs(totals={}, service_users={}, stored={})
    for row in rows:
        key = (row.unit_id, row.period_key)
        if row.totals_scope is not None:
            inputs.totals[key] = ElementTotals.from_counters(row._mapping)
        if row.service_users is not None:
            inputs.service_users[key] = row.service_users
        if row.flag_unit_id is not None:
            inputs.stored[key] = StoredFlag(
                active=row.flag_active, reasons=row.flag_reasons, respondents=row.flag_respondents
            )
    return inputs


async def save_flags(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the current state of several flags (full rows, one statement)."""
    await upsert_many(session, UNIT_FLAG, rows)


# --- directory ------------------------------------------------------------------------------


async def save_units(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the states of units, in order, and give the unit tree a new version (in the
    same transaction: per-process tree caches compare it, ``directory/tree_cache.py``)."""
    if rows:
        await upsert_in_order(session, UNIT, rows)
        await upsert(session, DIRECTORY_VERSION, {"name": UNIT_TREE, "version": uuid.uuid4().hex})


async def save_employees(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the states of employees, in order."""
    await upsert_in_order(session, EMPLOYEE, rows)


async def save_service_points(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the states of service points, in order."""
    await upsert_in_order(session, SERVICE_POINT, rows)


async def save_period(session: AsyncSession, values: dict[str, Any]) -> None:
    """Store an appraisal period's state."""
    await upsert(session, APPRAISAL_PERIOD, values)


async def save_service_users(session: AsyncSession, values: dict[str, Any]) -> None:
    """Store a unit's service users for a period."""
    await upsert(session, SERVICE_USERS, values)


# --- appraisal results ----------------------------------------------------------------------


#: Built once, like the other statements of the consumer's paths.
_OBJECTIONS = select(ASSESSMENT.c.assessment_id).where(
    ASSESSMENT.c.assessment_id.in_(bindparam("ids", expanding=True)),
    ASSESSMENT.c.objection.is_not(None),
)


async def assessments_with_objection(
    session: AsyncSession, assessment_ids: Sequence[str]
) -> set[str]:
    """Which of some assessments have an objection decision stored."""
    found: set[str] = set()
    for start in range(0, len(assessment_ids), IN_CHUNK):
        rows = await session.scalars(
            _OBJECTIONS, {"ids": list(assessment_ids[start : start + IN_CHUNK])}
        )
        found.update(rows)
    return found


async def save_assessments(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store the full states of assessments, in order."""
    await upsert_in_order(session, ASSESSMENT, rows)


async def insert_assessment_if_missing(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert an assessment row unless one exists."""
    await insert_missing(session, ASSESSMENT, values)


async def update_assessment(
    session: AsyncSession, assessment_id: str, values: dict[str, Any]
) -> None:
    """Change some columns of an assessment."""
    await session.execute(
        update(ASSESSMENT).where(ASSESSMENT.c.assessment_id == assessment_id).values(values)
    )


async def save_organisation_predikat(session: AsyncSession, values: dict[str, Any]) -> None:
    """Store the organisation predikat of a unit and period."""
    await upsert(session, ORGANISATION_PREDIKAT, values)


# --- follow-up plans ------------------------------------------------------------------------


async def save_plan(session: AsyncSession, values: dict[str, Any]) -> None:
    """Store a plan's current state (keeping when it was first recorded)."""
    recorded_at = await session.scalar(
        select(FOLLOW_UP_PLAN.c.recorded_at).where(FOLLOW_UP_PLAN.c.plan_id == values["plan_id"])
    )
    if recorded_at is not None:
        values = {**values, "recorded_at": recorded_at}
    await upsert(session, FOLLOW_UP_PLAN, values)


async def save_action(session: AsyncSession, values: dict[str, Any]) -> None:
    """Store an action's current state, with its history."""
    await upsert(session, FOLLOW_UP_ACTION, values)


async def action(session: AsyncSession, action_id: str) -> Any:
    """One action row, or None."""
    return (
        await session.execute(
            select(FOLLOW_UP_ACTION).where(FOLLOW_UP_ACTION.c.action_id == action_id)
        )
    ).first()


async def update_action(session: AsyncSession, action_id: str, values: dict[str, Any]) -> None:
    """Change some columns of an action."""
    await session.execute(
        update(FOLLOW_UP_ACTION).where(FOLLOW_UP_ACTION.c.action_id == action_id).values(values)
    )


async def touch_plan(session: AsyncSession, plan_id: str, values: dict[str, Any]) -> None:
    """Change some columns of a plan."""
    await session.execute(
        update(FOLLOW_UP_PLAN).where(FOLLOW_UP_PLAN.c.plan_id == plan_id).values(values)
    )


# --- rebuild --------------------------------------------------------------------------------


async def clear_read_models(session: AsyncSession, inbox: Table, consumer: str) -> None:
    """Delete every read model row and a consumer's inbox records."""
    for table in READ_MODELS:
        await session.execute(delete(table))
    await session.execute(delete(inbox).where(inbox.c.consumer == consumer))
