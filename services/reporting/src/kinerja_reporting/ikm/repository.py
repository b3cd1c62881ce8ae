"""SQL of the IKM totals: arithmetic updates when feedback counts or stops counting, reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Row, Table, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.ikm import ElementTally, ElementTotals
from kinerja_reporting.models import ELEMENTS, FEEDBACK, IKM_TOTALS
from kinerja_reporting.storage import increment

SCOPE_POINT = "point"
SCOPE_UNIT = "unit"


async def add_to_totals(
    session: AsyncSession,
    table: Table,
    keys: Sequence[Mapping[str, str]],
    answers: Mapping[int, int],
    sign: int,
    *,
    extra: Mapping[str, int] | None = None,
) -> None:
    """Add (sign 1) or subtract (sign -1) one respondent's answers to several rows at once.

    Rows are created when missing and moved arithmetically otherwise (see ``increment``).
    """
    if not keys:
        return
    amounts: dict[str, int] = {"respondents": sign}
    for element in ELEMENTS:
        score = answers.get(element)
        amounts[f"s{element}"] = sign * score if score is not None else 0
        amounts[f"n{element}"] = sign if score is not None else 0
    for column, amount in (extra or {}).items():
        amounts[column] = sign * amount
    await increment(session, table, [{**k, **amounts} for k in keys], list(amounts))


#: The counter columns of a totals row that ``totals_of`` reads.
TOTALS_COLUMNS = ("respondents", *(f"{x}{e}" for e in ELEMENTS for x in "sn"))

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


def totals_of(row: Row[Any] | None) -> ElementTotals:
    """Domain totals from a row with respondents, sN and nN columns (empty when None)."""
    if row is None:
        return ElementTotals()
    m = row._mapping
    return ElementTotals(
        respondents=m["respondents"],
        tallies=tuple(ElementTally(m[f"s{e}"], m[f"n{e}"]) for e in ELEMENTS),
    )


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
