"""SQL of the IKM reports: the totals of service points and units, and the statements that
answer a whole unit report at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    Row,
    Select,
    String,
    bindparam,
    func,
    select,
    union,
)
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.directory.repository import tree_version
from kinerja_reporting.domain.ikm import ElementTally, ElementTotals
from kinerja_reporting.models import (
    ELEMENTS,
    IKM_TOTALS,
    SCOPE_UNIT,
    SERVICE_POINT,
    SERVICE_USERS,
    TOTALS_COLUMNS,
)


def totals_of(row: Row[Any] | None) -> ElementTotals:
    """Domain totals from a row with respondents, sN and nN columns (empty when None)."""
    return ElementTotals() if row is None else ElementTotals.from_counters(row._mapping)


async def totals(
    session: AsyncSession, scope: str, scope_ids: Iterable[str], period_key: str
) -> dict[str, ElementTotals]:
    """Totals of some scopes in one period, by scope id (absent ids have none)."""
    ids = list(scope_ids)
    if not ids:
        return {}
    rows = (
        await session.execute(
            select(IKM_TOTALS).where(
                IKM_TOTALS.c.scope == scope,
                IKM_TOTALS.c.scope_id.in_(ids),
                IKM_TOTALS.c.period_key == period_key,
            )
        )
    ).all()
    return {r.scope_id: totals_of(r) for r in rows}


async def pooled_totals(
    session: AsyncSession, scope: str, scope_ids: Iterable[str], period_keys: Iterable[str]
) -> dict[str, ElementTotals]:
    """Totals of some scopes added up in SQL, one per period key (one statement, one row each).

    A unit's subtree may hold dozens of units; summing in the database keeps the query to a
    single round trip and a single domain object per period.
    """
    ids, keys = list(scope_ids), list(period_keys)
    if not ids or not keys:
        return {}
    columns = [func.sum(IKM_TOTALS.c.respondents).label("respondents")]
    for e in ELEMENTS:
        columns += [
            func.sum(IKM_TOTALS.c[f"s{e}"]).label(f"s{e}"),
            func.sum(IKM_TOTALS.c[f"n{e}"]).label(f"n{e}"),
        ]
    rows = (
        await session.execute(
            select(IKM_TOTALS.c.period_key, *columns)
            .where(
                IKM_TOTALS.c.scope == scope,
                IKM_TOTALS.c.scope_id.in_(ids),
                IKM_TOTALS.c.period_key.in_(keys),
            )
            .group_by(IKM_TOTALS.c.period_key)
        )
    ).all()
    found = {r.period_key: totals_of(r) for r in rows}
    return {key: found.get(key, ElementTotals()) for key in keys}


async def all_totals(
    session: AsyncSession, scope: str, period_key: str
) -> dict[str, ElementTotals]:
    """Totals of every scope of a kind in one period."""
    rows = (
        await session.execute(
            select(IKM_TOTALS).where(
                IKM_TOTALS.c.scope == scope, IKM_TOTALS.c.period_key == period_key
            )
        )
    ).all()
    return {r.scope_id: totals_of(r) for r in rows}


@dataclass(frozen=True)
class UnitFigures:
    """What a unit report reads: pooled totals of two periods, service users, tree version.

    ``service_users`` is the sum the units reported for the period (None: none reported);
    ``unreported_units`` counts the surveyed units among them that have not reported.
    """

    current: ElementTotals
    previous: ElementTotals
    service_users: int | None
    unreported_units: int
    tree_version: str | None


def surveyed_units(
    period_key: ColumnElement[str] | str, unit_ids: ColumnElement[str] | None = None
) -> CompoundSelect[Any]:
    """Ids of the units whose service users a roll-up needs for a period (``unit_id``).

    A unit is surveyed when it has an active service point or respondents in the period
    (docs/domain.md, reporting: population and sample adequacy). ``unit_ids``: only these.
    """
    points = select(SERVICE_POINT.c.unit_id.label("unit_id")).where(SERVICE_POINT.c.active)
    answered = select(IKM_TOTALS.c.scope_id.label("unit_id")).where(
        IKM_TOTALS.c.scope == SCOPE_UNIT,
        IKM_TOTALS.c.period_key == period_key,
        IKM_TOTALS.c.respondents > 0,
    )
    if unit_ids is not None:
        points = points.where(SERVICE_POINT.c.unit_id.in_(unit_ids))
        answered = answered.where(IKM_TOTALS.c.scope_id.in_(unit_ids))
    return union(points, answered)


@cache
def _statements() -> tuple[Select[Any], Select[Any]]:
    """Built once: every request only binds its parameters.

    The first reads one row per period that has totals (summed over the units), each row
    carrying the service users, the surveyed units that have not reported and the tree
    version too; the second reads only those three, for when neither period has any totals.
    """
    ids: BindParameter[str] = bindparam("unit_ids", type_=String, expanding=True)
    current: BindParameter[str] = bindparam("period_key", type_=String)
    previous: BindParameter[str] = bindparam("previous_key", type_=String)
    users = (
        select(func.sum(SERVICE_USERS.c.service_users))
        .where(SERVICE_USERS.c.unit_id.in_(ids), SERVICE_USERS.c.period_key == current)
        .scalar_subquery()
    )
    surveyed = surveyed_units(current, ids).subquery()
    reported = select(SERVICE_USERS.c.unit_id).where(SERVICE_USERS.c.period_key == current)
    unreported = (
        select(func.count())
        .select_from(surveyed)
        .where(surveyed.c.unit_id.not_in(reported))
        .scalar_subquery()
    )
    context = [
        users.label("service_users"),
        unreported.label("unreported_units"),
        tree_version().label("tree_version"),
    ]
    totals = (
        select(
            *context,
            IKM_TOTALS.c.period_key,
            *[func.sum(IKM_TOTALS.c[c]) for c in TOTALS_COLUMNS],
        )
        .where(
            IKM_TOTALS.c.scope == SCOPE_UNIT,
            IKM_TOTALS.c.scope_id.in_(ids),
            IKM_TOTALS.c.period_key.in_([current, previous]),
        )
        .group_by(IKM_TOTALS.c.period_key)
    )
    return totals, select(*context)


async def surveyed_units_of_period(session: AsyncSession, period_key: str) -> set[str]:
    """Every surveyed unit of a period (see ``surveyed_units``)."""
    return set((await session.execute(surveyed_units(period_key))).scalars())


def _totals(values: Any) -> ElementTotals:
    numbers = [int(v) for v in values]
    return ElementTotals(
        respondents=numbers[0],
        tallies=tuple(
            ElementTally(score_sum=numbers[i], answered=numbers[i + 1])
            for i in range(1, len(numbers), 2)
        ),
    )


async def unit_figures(
    session: AsyncSession, unit_ids: Iterable[str], period_key: str, previous_key: str
) -> UnitFigures:
    """Totals of some units pooled for a period and the one before, the service users they
    reported for the period, and the unit tree's version: one statement (two when neither
    period has totals).

    Same figures as ``pooled_totals`` for both periods plus ``service_users`` (a period
    without any totals row pools to empty totals; no service users reported is None) and
    the surveyed units that have not reported.
    """
    totals, context = _statements()
    params = {"unit_ids": list(unit_ids), "period_key": period_key, "previous_key": previous_key}
    rows = (await session.execute(totals, params)).all()
    first = rows[0] if rows else (await session.execute(context, params)).one()
    by_period = {r.period_key: _totals(r[4:]) for r in rows}
    return UnitFigures(
        current=by_period.get(period_key, ElementTotals()),
        previous=by_period.get(previous_key, ElementTotals()),
        service_users=None if first[0] is None else int(first[0]),
        unreported_units=int(first[1]),
        tree_version=first[2],
    )
