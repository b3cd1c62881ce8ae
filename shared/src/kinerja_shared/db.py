"""Async database engine and sessions that work on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import PoolResetState

from kinerja_shared.sqlite_driver import one_trip_dbapi


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL, foreign keys and a busy timeout.

    Errors never carry the values bound to their statement (`hide_parameters`): they end up
    in logs and dead-letter headers, and are personal data as often as not.
    """
    parsed = make_url(url)
    kwargs.setdefault("hide_parameters", True)
    if parsed.get_backend_name() == "sqlite":
        # Pool sizing is PostgreSQL's concern; SQLite keeps its own default pool.
        kwargs.pop("pool_size", None)
        kwargs.pop("max_overflow", None)
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # The pool's reset rolls back every connection it gets back, even one whose
        # transaction was just committed: a round trip to aiosqlite's thread per transaction.
        # _rollback_if_open below does it only when a transaction is still open.
        kwargs.setdefault("pool_reset_on_return", None)
        if parsed.get_driver_name() == "aiosqlite":
            # One trip to aiosqlite's thread per statement instead of three or four.
            kwargs.setdefault("module", one_trip_dbapi())
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "reset")
        def _rollback_if_open(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
            if state.terminate_only or not state.asyncio_safe:
                return  # the pool discards the connection (or cannot touch it here)
            driver = getattr(dbapi_connection, "_connection", None)
            if driver is None or driver.in_transaction:
                dbapi_connection.rollback()

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    if "poolclass" not in kwargs:  # NullPool (migrations) takes no sizing
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def is_postgres(engine: AsyncEngine) -> bool:
    """Whether the engine talks to PostgreSQL (row locks with SKIP LOCKED are available)."""
    return engine.dialect.name == "postgresql"


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)


_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, asyncio.Lock] = weakref.WeakKeyDictionary()


def write_lock(sessions: async_sessionmaker[AsyncSession]) -> AbstractAsyncContextManager[Any]:
    """Hold around a short, hot write transaction of these sessions' engine.

    SQLite has one writer at a time per database; a transaction that finds the write lock
    taken sleeps in SQLite's busy handler (1, 2, 5 ... 100 ms steps) however soon the lock
    is free, so concurrent writers of one process spend most of their time asleep. With this
    lock they queue in asyncio instead and each starts writing as soon as the previous one
    has committed. Only writers that take it are serialised (readers never are); writers of
    other processes still meet in the busy handler. PostgreSQL locks rows, not the database:
    there it is a no-op.
    """
    engine = sessions.kw.get("bind")
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    lock = _WRITE_LOCKS.get(engine.sync_engine)
    if lock is None:
        lock = _WRITE_LOCKS[engine.sync_engine] = asyncio.Lock()
    return lock


#: Parameter styles of the drivers whose own executemany bulk writes may use (sqlite3/aiosqlite
#: `?`, asyncpg `$1`); SQL for them is written once per statement shape.
DRIVER_PARAMSTYLES = ("qmark", "numeric_dollar")


def takes_driver_parameters(dialect: Dialect) -> bool:
    """Whether rows can go to this dialect's driver as plain tuples (see `driver_processor`)."""
    return dialect.paramstyle in DRIVER_PARAMSTYLES


@cache
def driver_processor(dialect: Dialect, table: Table, column: str) -> Callable[[Any], Any] | None:
    """SQLAlchemy's own conversion of a column's Python values for the driver, or None when
    the driver takes them as they are. Bulk writes that bypass SQLAlchemy's per-row parameter
    processing apply it themselves, so rows are stored exactly as SQLAlchemy would store them.
    """
    type_ = table.c[column].type
    return type_.dialect_impl(dialect).bind_processor(dialect)
