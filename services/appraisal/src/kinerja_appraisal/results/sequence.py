"""The change sequence behind the pull API's cursor.

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

from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_appraisal.models import ChangeCounter

RESULTS = "results"


async def take_numbers(session: AsyncSession, count: int, *, name: str = RESULTS) -> list[int]:
    """Reserve `count` consecutive numbers, holding the counter until this transaction ends."""
    if count <= 0:
        return []
    result = await session.execute(
        update(ChangeCounter)
        .where(col(ChangeCounter.name) == name)
        .values(value=col(ChangeCounter.value) + count)
        .returning(col(ChangeCounter.value))
    )
    last = result.scalar_one_or_none()
    if last is None:
        # The migration seeds the row; this covers a database emptied by hand (tests).
        await session.execute(insert(ChangeCounter).values(name=name, value=count))
        last = count
    return list(range(last - count + 1, last + 1))
