"""INSERT ... ON CONFLICT for PostgreSQL and SQLite alike: the one place a repository gets
the dialect's INSERT that knows `on_conflict_do_update` / `on_conflict_do_nothing`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession, table: Table | Any) -> Any:
    """The dialect INSERT of a table (or table model) for the session's database."""
    return insert_for_dialect(session.get_bind().dialect.name, table)


def insert_for_dialect(dialect: str, table: Table | Any) -> Any:
    """The INSERT of `insert_for` for a dialect name ("postgresql"; anything else: SQLite)."""
    target = getattr(table, "__table__", table)
    if dialect == "postgresql":
        return postgresql.insert(target)
    return sqlite.insert(target)
