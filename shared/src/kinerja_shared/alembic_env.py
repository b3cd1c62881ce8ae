"""The body of every service's Alembic `env.py`: async migrations on SQLite and PostgreSQL.

A service's `migrations/env.py` is two lines::

    from kinerja_appraisal.models import metadata
    from kinerja_appraisal.settings import AppraisalSettings
    from kinerja_shared.alembic_env import run_migrations
    run_migrations(metadata, AppraisalSettings().database_url)

The URL can be overridden with `-x url=...` (tests and the migrations Job use this).
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection

from kinerja_shared.db import create_engine


def _do_run(connection: Connection, metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online(metadata: MetaData, url: str) -> None:
    engine = create_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run, metadata)
        await connection.commit()
    await engine.dispose()


def run_migrations(metadata: MetaData, default_url: str) -> None:
    """Run migrations online (offline mode renders SQL for the given URL)."""
    url = (
        context.get_x_argument(as_dictionary=True).get("url")
        or context.config.attributes.get("url")
        or default_url
    )
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _do_run(connection, metadata)
        return
    asyncio.run(_run_online(metadata, url))


def upgrade_head(alembic_ini: str, url: str) -> None:
    """Programmatic `alembic upgrade head` (make run, the migrate CLI command, tests)."""
    from alembic import command
    from alembic.config import Config

    config = Config(alembic_ini)
    config.attributes["url"] = url
    command.upgrade(config, "head")
