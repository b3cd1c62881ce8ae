"""Alembic environment of the feedback service.

kinerja_shared.alembic_env.run_migrations opens its own engine with NullPool, which
kinerja_shared.db.create_engine refuses on PostgreSQL (it adds pool_size); so this env opens
the connection itself and hands it to run_migrations, which then migrates on it.
"""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from kinerja_feedback.models import metadata
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.alembic_env import run_migrations
from kinerja_shared.db import create_engine


def _url() -> str:
    return (
        context.get_x_argument(as_dictionary=True).get("url")
        or context.config.attributes.get("url")
        or FeedbackSettings().database_url
    )


def _migrate_on(connection: Connection) -> None:
    context.config.attributes["connection"] = connection
    try:
        run_migrations(metadata, _url())
    finally:
        context.config.attributes.pop("connection", None)


async def _online() -> None:
    engine = create_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_migrate_on)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode() or context.config.attributes.get("connection") is not None:
    run_migrations(metadata, _url())
else:
    asyncio.run(_online())
