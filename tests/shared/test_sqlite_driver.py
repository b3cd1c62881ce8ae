"""The SQLite engines make one trip to aiosqlite's thread per statement, with the same
results and errors as SQLAlchemy's own adaptation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from kinerja_shared.db import create_engine


async def test_a_statement_with_rows_is_one_trip_to_the_driver_thread(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/d.db")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT)"))
            driver = (await conn.get_raw_connection()).driver_connection
            trips: list[Any] = []
            original = driver._execute

            async def counted(fn: Any, *args: Any, **kwargs: Any) -> Any:
                trips.append(fn)
                return await original(fn, *args, **kwargs)

            driver._execute = counted
            try:
                inserted = await conn.execute(
                    text("INSERT INTO t (s) VALUES ('a'), ('b') RETURNING n")
                )
                assert sorted(inserted.scalars()) == [1, 2]
                assert len(trips) == 1
                counted_rows = await conn.execute(text("SELECT count(*) FROM t"))
                assert counted_rows.scalar_one() == 2
                assert len(trips) == 2
            finally:
                driver._execute = original
    finally:
        await engine.dispose()


async def test_rowcount_lastrowid_and_executemany_are_those_of_the_driver(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/d.db")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT)"))
            one = await conn.execute(text("INSERT INTO t (s) VALUES ('a')"))
            assert one.lastrowid == 1
            await conn.execute(text("INSERT INTO t (s) VALUES (:s)"), [{"s": "b"}, {"s": "c"}])
            updated = await conn.execute(text("UPDATE t SET s = 'z' WHERE n > 1"))
            assert updated.rowcount == 2
            rows = await conn.execute(text("SELECT n, s FROM t ORDER BY n"))
            assert [tuple(r) for r in rows] == [(1, "a"), (2, "z"), (3, "z")]
    finally:
        await engine.dispose()


async def test_driver_errors_are_sqlalchemy_errors_and_the_connection_stays_usable(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/d.db")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
            await conn.execute(text("INSERT INTO t (n) VALUES (1)"))
        async with engine.connect() as conn:
            with pytest.raises(IntegrityError):
                await conn.execute(text("INSERT INTO t (n) VALUES (1)"))
            await conn.rollback()
            with pytest.raises(OperationalError, match="no such table"):
                await conn.execute(text("SELECT * FROM missing"))
            await conn.rollback()
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    finally:
        await engine.dispose()
