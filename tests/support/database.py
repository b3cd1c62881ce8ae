"""Test databases: migrate once per session with Alembic, empty the tables between tests;
scratch tables of a test of the shared machinery."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.db import create_engine, session_factory
from support.common import database_url_for

KEEP = {"alembic_version", "outbox_lane"}


def migrate(alembic_ini: Path, url: str) -> None:
    """Bring a database to the latest migration, from scratch (drops what was there)."""
    asyncio.run(_reset(url))
    upgrade_head(str(alembic_ini), url)


async def _reset(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        else:
            reflected = MetaData()
            await conn.run_sync(reflected.reflect)
            await conn.run_sync(reflected.drop_all)
    await engine.dispose()


async def empty_tables(url: str, metadata: MetaData) -> None:
    """Delete every row but the migration bookkeeping (fast enough to do before each test)."""
    engine = create_engine(url)
    names = [t.name for t in metadata.sorted_tables if t.name not in KEEP]
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql" and names:
            quoted = ", ".join(f'"{n}"' for n in names)
            await conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for name in reversed(names):
                await conn.execute(text(f'DELETE FROM "{name}"'))
    await engine.dispose()


@asynccontextmanager
async def scratch_tables(
    metadata: MetaData, tmp_path: Path
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions of the shared test database (PostgreSQL when the run has one, else a SQLite
    file) with `metadata`'s tables created fresh for the block and dropped after it. The
    engine of the block is disposed before the drop: its connections may carry settings a
    test changed."""
    url = database_url_for("kinerja_test", tmp_path)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
            await conn.run_sync(metadata.create_all)
        yield session_factory(engine)
    finally:
        await engine.dispose()
        cleaner = create_engine(url)
        async with cleaner.begin() as conn:
            await conn.run_sync(metadata.drop_all)
        await cleaner.dispose()
