"""A write the database gives up for a concurrent transaction — a real PostgreSQL deadlock, a
real SQLite busy timeout — is answered 503 with Retry-After (nothing changed: send it again),
not 500; any other database error stays the 500 it was, a conflict the 409."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, Table, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_shared.db import is_postgres
from kinerja_shared.problems import PROBLEM_JSON, UnhandledErrors, install_problem_handlers
from support.database import scratch_tables

metadata = MetaData()
row = Table(
    "gw_row",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("n", Integer),
)


@pytest.fixture
async def sessions(tmp_path: Path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with scratch_tables(metadata, tmp_path) as made:
        async with made() as session, session.begin():
            await session.execute(insert(row), [{"id": 1, "n": 0}, {"id": 2, "n": 0}])
        yield made


async def deadlock(sessions: async_sessionmaker[AsyncSession]) -> BaseException:
    """Two transactions each lock one row and then want the other's: PostgreSQL gives one up."""
    locked = [asyncio.Event(), asyncio.Event()]

    async def take(mine: int, theirs: int) -> None:
        async with sessions() as session, session.begin():
            await session.execute(update(row).where(row.c.id == mine + 1).values(n=1))
            locked[mine].set()
            await locked[theirs].wait()
            await session.execute(update(row).where(row.c.id == theirs + 1).values(n=2))

    results = await asyncio.gather(take(0, 1), take(1, 0), return_exceptions=True)
    [error] = [r for r in results if isinstance(r, BaseException)]
    return error


async def busy(sessions: async_sessionmaker[AsyncSession]) -> BaseException:
    """A write while another connection holds SQLite's write lock, past a short timeout."""
    async with sessions() as holder, holder.begin():
        await holder.execute(update(row).where(row.c.id == 1).values(n=1))
        async with sessions() as writer:
            try:
                async with writer.begin():
                    await writer.execute(text("PRAGMA busy_timeout=10"))
                    await writer.execute(update(row).where(row.c.id == 2).values(n=2))
            except DBAPIError as exc:
                return exc
    raise AssertionError("the write was not refused")


async def collision(sessions: async_sessionmaker[AsyncSession]) -> BaseException:
    """A real refusal of a transaction for a concurrent one, on this run's database."""
    engine = sessions.kw["bind"]
    return await (deadlock(sessions) if is_postgres(engine) else busy(sessions))


def raising(error: BaseException) -> FastAPI:
    """An app whose one write route fails with this error, behind the shared handlers."""
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(UnhandledErrors)

    @app.post("/things")
    async def write() -> None:
        raise error

    return app


async def post(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.post("/things")


async def test_a_write_given_up_for_a_concurrent_one_is_a_503_to_send_again(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    error = await collision(sessions)
    assert isinstance(error, DBAPIError), error
    response = await post(raising(error))
    assert response.status_code == 503
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["retry-after"] == "1"
    body = response.json()
    assert (body["status"], body["type"]) == (503, "https://kinerja.denpasar.go.id/problems/busy")
    assert "send it again" in body["detail"]
    async with sessions() as session:  # only the other transaction's writes are there
        values = sorted((await session.scalars(select(row.c.n))).all())
    assert values == ([1, 2] if is_postgres(sessions.kw["bind"]) else [0, 1])


async def test_any_other_database_error_is_still_a_500(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session:
        try:
            await session.execute(text("SELECT * FROM no_such_table"))
        except DBAPIError as exc:
            error = exc
    response = await post(raising(error))
    assert response.status_code == 500
    assert response.json()["type"].endswith("/internal")
