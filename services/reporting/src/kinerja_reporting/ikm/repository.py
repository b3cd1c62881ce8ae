"""SQL of the IKM totals: arithmetic updates when feedback counts or stops counting, reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Row, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.ikm import ElementTally, ElementTotals
from kinerja_reporting.models import ELEMENTS, IKM_TOTALS
from kinerja_reporting.storage import insert_missing

SCOPE_POINT = "point"
SCOPE_UNIT = "unit"


async def add_to_totals(
    session: AsyncSession,
    table: Table,
    keys: Mapping[str, str],
    answers: Mapping[int, int],
    sign: int,
    *,
    extra: Mapping[str, int] | None = None,
) -> None:
    """Add (sign 1) or subtract (sign -1) one respondent's answers, in one UPDATE."""
    await insert_missing(session, table, dict(keys))
    values: dict[str, Any] = {"respondents": table.c.respondents + sign}
    for element, score in answers.items():
        values[f"s{element}"] = table.c[f"s{element}"] + sign * score
        values[f"n{element}"] = table.c[f"n{element}"] + sign
    for column, amount in (extra or {}).items():
        values[column] = table.c[column] + sign * amount
    condition = [table.c[k] == v for k, v in keys.items()]
    await session.execute(update(table).where(*condition).values(**values))


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
