"""Alembic environment of the reporting service.

kinerja_shared.alembic_env.run_migrations does the work. Online, this file opens the
connection itself (NullPool, no pool sizing) and hands it over, because the shared helper's
own engine passes pool sizes that PostgreSQL's NullPool refuses.
"""

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from kinerja_reporting.models import metadata
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.alembic_env import run_migrations


def _url() -> str:
    return str(
        context.get_x_argument(as_dictionary=True).get("url")
        or context.config.attributes.get("url")
        or ReportingSettings().database_url
    )


def _with_connection(connection: Connection) -> None:
    context.config.attributes["connection"] = connection
    try:
        run_migrations(metadata, _url())
    finally:
        context.config.attributes.pop("connection", None)


async def _online() -> None:
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_with_connection)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode() or context.config.attributes.get("connection") is not None:
    run_migrations(metadata, _url())
else:
    asyncio.run(_online())
