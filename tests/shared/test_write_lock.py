"""write_lock: one asyncio lock per SQLite engine, nothing on PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import os
from pathlib import Path

from sqlalchemy import text

from kinerja_shared.db import create_engine, session_factory, write_lock


def _url(tmp_path: Path) -> str:
    return os.environ.get("KINERJA_TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_path}/w.db"


async def test_one_lock_per_sqlite_engine_and_none_on_postgres(tmp_path: Path) -> None:
    engine = create_engine(_url(tmp_path))
    other = create_engine(f"sqlite+aiosqlite:///{tmp_path}/other.db")
    try:
        sessions = session_factory(engine)
        lock = write_lock(sessions)
        if engine.dialect.name == "sqlite":
            assert isinstance(lock, asyncio.Lock)
            assert write_lock(session_factory(engine)) is lock
            assert write_lock(session_factory(other)) is not lock
        else:
            assert isinstance(lock, contextlib.nullcontext)
    finally:
        await engine.dispose()
        await other.dispose()


async def test_concurrent_writers_under_the_lock_all_commit(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/c.db")
    sessions = session_factory(engine)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))

        async def write(n: int) -> None:
            async with write_lock(sessions), sessions() as session, session.begin():
                await session.execute(text("INSERT INTO t (n) VALUES (:n)"), {"n": n})
                await asyncio.sleep(0)  # let the others try to get in meanwhile

        await asyncio.gather(*(write(n) for n in range(40)))
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 40
    finally:
        await engine.dispose()
