"""SQLite connections go back to the pool without a rollback after a commit, and with one
when a transaction was left open (nothing of it is kept, no lock is held)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from kinerja_shared.db import create_engine, session_factory


async def test_open_transactions_are_rolled_back_on_return_committed_ones_are_not(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/r.db", pool_size=1, max_overflow=0)
    sessions = session_factory(engine)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY)"))
        async with sessions() as session, session.begin():
            await session.execute(text("INSERT INTO t (n) VALUES (1)"))
        async with engine.connect() as conn:  # the same pooled connection (pool_size=1)
            raw = await conn.get_raw_connection()
            assert raw.driver_connection is not None
            assert not raw.driver_connection.in_transaction
        # Left open behind SQLAlchemy's back (a session's close would roll back itself):
        # only the pool's reset can undo this write when the connection goes back.
        async with engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None
            await driver.execute("INSERT INTO t (n) VALUES (2)")
            assert driver.in_transaction
        async with engine.connect() as conn:  # the same pooled connection again
            raw = await conn.get_raw_connection()
            assert raw.driver_connection is not None
            assert not raw.driver_connection.in_transaction
        other = create_engine(f"sqlite+aiosqlite:///{tmp_path}/r.db")
        try:
            async with other.begin() as conn:  # would wait on the lock if it were still held
                await conn.execute(text("INSERT INTO t (n) VALUES (3)"))
            async with other.connect() as conn:
                rows = (await conn.execute(text("SELECT n FROM t ORDER BY n"))).scalars().all()
            assert rows == [1, 3]
        finally:
            await other.dispose()
    finally:
        await engine.dispose()
