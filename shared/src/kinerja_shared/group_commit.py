"""Group commit: concurrent short write transactions of one process share one commit.

A hot write path (a citizen's submission) is a few statements; on SQLite most of its cost
is the transaction around them — taking the write lock, BEGIN, COMMIT and the hand-offs to
the driver's thread — and on PostgreSQL the round trips of BEGIN and COMMIT. Databases and
Kafka amortise that by committing together what arrives together; this does the same for
one process:

- `GroupCommit.run(work)` queues `work(session)` and waits. One task at a time drains the
  queue: up to `max_group` queued works run one after the other in one session and one
  transaction, each inside its own SAVEPOINT, and the transaction commits once.
- A work that raises is rolled back to its savepoint alone (its writes undone, the others
  kept) and its caller gets the exception — after the group's commit, so that whatever the
  caller then reads (e.g. the stored answer of a duplicate key) is committed.
- Every caller is answered only after the commit that made its own writes durable; when the
  commit fails, every work of the group gets that error and nothing of the group is stored.
- A work running alone (no one else waiting) runs without a savepoint: exactly the single
  transaction it would have had without grouping.

Works of one group see each other's writes (they run in order in one transaction), so rate
counters and unique keys behave as they would one transaction after the other.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_shared.db import write_lock

T = TypeVar("T")
Work = Callable[[AsyncSession], Awaitable[Any]]


class GroupCommit:
    """A queue of write works committed together (see the module's docstring)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], *, max_group: int) -> None:
        self.sessions = sessions
        self.max_group = max_group
        self._waiting: list[tuple[Work, asyncio.Future[Any]]] = []
        self._draining: asyncio.Task[None] | None = None
        #: How many groups and works were committed (for benchmarks and tests).
        self.groups = 0
        self.works = 0

    async def run(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """Run `work(session)` in the next group; its result once the group has committed."""
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        # A caller that gave up (cancelled) leaves its outcome unread: read it here.
        future.add_done_callback(_read_outcome)
        self._waiting.append((work, future))
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self._drain(), name="group-commit")
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        while self._waiting:
            group = self._waiting[: self.max_group]
            del self._waiting[: self.max_group]
            await self._commit(group)

    async def _commit(self, group: list[tuple[Work, asyncio.Future[Any]]]) -> None:
        outcomes: list[tuple[asyncio.Future[Any], BaseException | None, Any]] = []
        try:
            async with write_lock(self.sessions), self.sessions() as session, session.begin():
                if len(group) == 1:
                    work, future = group[0]
                    outcomes.append((future, None, await work(session)))
                else:
                    await _begin_writing(session)
                    for work, future in group:
                        outcomes.append(await _in_savepoint(session, work, future))
        except BaseException as exc:  # the commit (or a lone work) failed: no work is stored
            for _work, future in group:
                _settle(future, exc, None)
            if not isinstance(exc, Exception):
                raise  # cancelled: every caller has been told
            return
        self.groups += 1
        self.works += len(group)
        for future, error, value in outcomes:
            _settle(future, error, value)


async def _in_savepoint(
    session: AsyncSession, work: Work, future: asyncio.Future[Any]
) -> tuple[asyncio.Future[Any], BaseException | None, Any]:
    try:
        async with session.begin_nested():
            return future, None, await work(session)
    except Exception as exc:
        return future, exc, None


async def _begin_writing(session: AsyncSession) -> None:
    """Open the transaction before the first SAVEPOINT. SQLite's Python driver begins a
    transaction only before a data change, so a SAVEPOINT would open (and its RELEASE
    commit) one of its own: each work would commit alone. BEGIN IMMEDIATE also takes the
    write lock at once, as the group is going to write. PostgreSQL's driver has begun one."""
    if session.get_bind().dialect.name == "sqlite":
        await session.execute(text("BEGIN IMMEDIATE"))


def _settle(future: asyncio.Future[Any], error: BaseException | None, value: Any) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)


def _read_outcome(future: asyncio.Future[Any]) -> None:
    if not future.cancelled():
        future.exception()
