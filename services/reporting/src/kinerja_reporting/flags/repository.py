"""SQL of the improvement flags."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Row, Select, and_, bindparam, func, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.ikm import ElementTotals
from kinerja_reporting.ikm.repository import SCOPE_UNIT, TOTALS_COLUMNS, totals_of
from kinerja_reporting.models import IKM_TOTALS, SERVICE_USERS, UNIT_FLAG
from kinerja_reporting.storage import upsert_many


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
            inputs.totals[key] = totals_of(row)
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


async def flags(
    session: AsyncSession,
    *,
    period_key: str | None,
    unit_ids: Iterable[str] | None,
    active: bool | None,
    limit: int,
    offset: int,
) -> tuple[list[Row[Any]], int]:
    """Flags filtered by period, units and state, paginated."""
    condition = []
    if period_key is not None:
        condition.append(UNIT_FLAG.c.period_key == period_key)
    if unit_ids is not None:
        condition.append(UNIT_FLAG.c.unit_id.in_(list(unit_ids)))
    if active is not None:
        condition.append(UNIT_FLAG.c.active == active)
    total = await session.scalar(select(func.count()).select_from(UNIT_FLAG).where(*condition))
    rows = (
        await session.execute(
            select(UNIT_FLAG)
            .where(*condition)
            .order_by(UNIT_FLAG.c.period_key.desc(), UNIT_FLAG.c.unit_id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return list(rows), int(total or 0)
