"""SQL of the pull API: final results after a cursor, and the change sequence behind it.

Every change to a final result takes the next numbers from one counter row, incremented
with UPDATE ... RETURNING in the writer's own transaction. The row lock (PostgreSQL) or
the database write lock (SQLite) is held until that transaction commits, so a second
writer waits and gets higher numbers *and* commits later: numbers become visible in
increasing order. A reader that has seen number N never later finds a new change below N,
so "changes after N" is exact under concurrent writes. (An auto-increment id would not do:
ids are handed out at insert time, and a transaction holding a lower id can commit after
one holding a higher id, which a reader would skip.)
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.models import Assessment, ChangeCounter, Employee, Period
from kinerja_shared.upsert import insert_for

RESULTS = "results"


async def _increment(session: AsyncSession, name: str, count: int) -> int | None:
    result = await session.execute(
        update(ChangeCounter)
        .where(col(ChangeCounter.name) == name)
        .values(value=col(ChangeCounter.value) + count)
        .returning(col(ChangeCounter.value))
    )
    return result.scalar_one_or_none()


async def take_numbers(session: AsyncSession, count: int, *, name: str = RESULTS) -> list[int]:
    """Reserve `count` consecutive numbers, holding the counter until this transaction ends."""
    if count <= 0:
        return []
    last = await _increment(session, name, count)
    if last is None:
        # The migration seeds the row; this covers a database emptied by hand (tests).
        # ON CONFLICT DO NOTHING lets concurrent first writers both proceed to the UPDATE.
        await session.execute(
            insert_for(session, ChangeCounter).values(name=name, value=0).on_conflict_do_nothing()
        )
        last = await _increment(session, name, count)
    assert last is not None
    return list(range(last - count + 1, last + 1))


async def changes_after(
    session: AsyncSession, *, after: int, period_id: str | None, limit: int
) -> Sequence[tuple[Assessment, str, str]]:
    """Up to `limit` final results changed after the cursor, oldest change first, with the
    employee's staff code and the period's key."""
    query = (
        select(Assessment, Employee.staff_code, Period.key)
        .join(Employee, col(Employee.id) == col(Assessment.employee_id))
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .where(col(Assessment.change_seq) > after)
    )
    if period_id:
        query = query.where(Assessment.period_id == period_id)
    rows = await session.execute(query.order_by(col(Assessment.change_seq)).limit(limit))
    return [(assessment, staff_code, key) for assessment, staff_code, key in rows.all()]
