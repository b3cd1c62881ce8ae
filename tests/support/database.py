"""Test databases: migrate once per session with Alembic, empty the tables between tests."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import MetaData, text

from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.db import create_engine

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
