"""Group commit: concurrent works share one transaction, each answered after its commit, a
failing work undone alone, a failing commit failing every work of its group."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_shared.group_commit import GroupCommit
from support.database import scratch_tables

metadata = MetaData()
parent = Table("gc_parent", metadata, Column("id", Integer, primary_key=True))
item = Table(
    "gc_item",
    metadata,
    Column("n", Integer, primary_key=True, autoincrement=False),
    # Checked at COMMIT, not at the INSERT: the way to make a commit fail.
    Column("parent_id", Integer, ForeignKey("gc_parent.id", deferrable=True, initially="DEFERRED")),
)


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with scratch_tables(metadata, tmp_path) as made:
        yield made


def add(n: int, parent_id: int | None = None):  # type: ignore[no-untyped-def]
    async def work(session: AsyncSession) -> int:
        await session.execute(insert(item).values(n=n, parent_id=parent_id))
        await asyncio.sleep(0)  # let others queue meanwhile
        return n

    return work


async def stored(sessions: async_sessionmaker[AsyncSession]) -> list[int]:
    async with sessions() as session:
        return list((await session.scalars(select(item.c.n).order_by(item.c.n))).all())


async def test_concurrent_works_are_committed_together_and_each_gets_its_result(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = GroupCommit(sessions, max_group=64)
    results = await asyncio.gather(*(group.run(add(n)) for n in range(50)))
    assert results == list(range(50))
    assert await stored(sessions) == list(range(50))
    assert group.works == 50
    assert group.groups < 50  # they shared commits


async def test_a_work_is_answered_only_once_its_rows_are_committed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = GroupCommit(sessions, max_group=64)

    async def add_then_look(n: int) -> list[int]:
        await group.run(add(n))
        return await stored(sessions)  # another session: sees only what is committed

    seen = await asyncio.gather(*(add_then_look(n) for n in range(20)))
    for n, rows in enumerate(seen):
        assert n in rows


async def test_a_failing_work_is_undone_alone_and_its_caller_gets_the_error(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = GroupCommit(sessions, max_group=64)

    async def half_then_fail(session: AsyncSession) -> int:
        await session.execute(insert(item).values(n=100))
        raise LookupError("refused after writing")

    outcomes = await asyncio.gather(
        group.run(add(1)),
        group.run(half_then_fail),
        group.run(add(2)),
        group.run(add(1)),  # the same key again: refused by the database, alone
        group.run(add(3)),
        return_exceptions=True,
    )
    assert [outcomes[0], outcomes[2], outcomes[4]] == [1, 2, 3]
    assert isinstance(outcomes[1], LookupError)
    assert isinstance(outcomes[3], IntegrityError)
    assert await stored(sessions) == [1, 2, 3]


async def test_the_row_a_duplicate_failed_on_is_readable_when_its_caller_hears_of_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = GroupCommit(sessions, max_group=64)

    async def duplicate_then_read() -> list[int]:
        try:
            await group.run(add(7))
        except IntegrityError:
            return await stored(sessions)
        return []

    first, second = await asyncio.gather(group.run(add(7)), duplicate_then_read())
    assert first == 7
    assert second == [7]


async def test_when_the_commit_fails_every_work_of_the_group_fails_and_nothing_is_stored(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = GroupCommit(sessions, max_group=64)
    async with sessions() as session, session.begin():
        await session.execute(insert(parent).values(id=1))
    await group.run(add(0, parent_id=1))  # a group of its own, committed
    outcomes = await asyncio.gather(
        group.run(add(1, parent_id=1)),
        group.run(add(2, parent_id=999)),  # no such parent: the COMMIT fails
        group.run(add(3, parent_id=1)),
        return_exceptions=True,
    )
    assert [type(o) for o in outcomes] == [IntegrityError] * 3
    assert await stored(sessions) == [0]
    assert await group.run(add(4, parent_id=1)) == 4  # the next group is not affected
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(item)) == 2


async def test_a_work_alone_runs_in_a_transaction_of_its_own(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = GroupCommit(sessions, max_group=64)

    async def half_then_fail(session: AsyncSession) -> int:
        await session.execute(insert(item).values(n=5))
        raise LookupError("refused")

    with pytest.raises(LookupError):
        await group.run(half_then_fail)
    assert await stored(sessions) == []
    assert await group.run(add(6)) == 6
    assert await stored(sessions) == [6]


async def test_no_group_is_larger_than_its_bound(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    group = GroupCommit(sessions, max_group=4)
    await asyncio.gather(*(group.run(add(n)) for n in range(20)))
    assert group.groups >= 5
    assert await stored(sessions) == list(range(20))
