"""SQL building blocks the repositories share: upserts that work on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def dialect_insert(session: AsyncSession, table: Table) -> Any:
    """An INSERT of the session's dialect (with on_conflict_do_nothing/do_update)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def insert_missing(session: AsyncSession, table: Table, values: Mapping[str, Any]) -> None:
    """Insert a row unless one with the same primary key exists."""
    await session.execute(dialect_insert(session, table).values(**values).on_conflict_do_nothing())


async def upsert(
    session: AsyncSession,
    table: Table,
    values: Mapping[str, Any],
    *,
    keys: Sequence[str] | None = None,
) -> None:
    """Insert a row or overwrite the non-key columns of the existing one."""
    index = list(keys or [c.name for c in table.primary_key.columns])
    statement = dialect_insert(session, table).values(**values)
    excluded = statement.excluded
    changes = {k: excluded[k] for k in values if k not in index}
    if changes:
        statement = statement.on_conflict_do_update(index_elements=index, set_=changes)
    else:
        statement = statement.on_conflict_do_nothing()
    await session.execute(statement)


@cache
def _increment_statement(dialect: str, table: Table, columns: tuple[str, ...]) -> Any:
    base = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    excluded = base.excluded
    return base.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={c: table.c[c] + excluded[c] for c in columns},
    )


async def increment(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> None:
    """Create rows that are missing and add the given amounts to the counter ``columns``.

    One prepared INSERT .. ON CONFLICT DO UPDATE SET c = c + excluded.c, executed for every
    row: counts move arithmetically, so concurrent handlers never overwrite each other.
    """
    if rows:
        dialect = session.get_bind().dialect.name
        statement = _increment_statement(dialect, table, tuple(columns))
        await session.execute(statement, [dict(r) for r in rows])


@cache
def _upsert_statement(dialect: str, table: Table, columns: tuple[str, ...]) -> Any:
    base = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    keys = [c.name for c in table.primary_key.columns]
    excluded = base.excluded
    return base.on_conflict_do_update(
        index_elements=keys, set_={c: excluded[c] for c in columns if c not in keys}
    )


async def upsert_many(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows or overwrite the non-key columns of existing ones (full rows, one statement)."""
    if rows:
        dialect = session.get_bind().dialect.name
        statement = _upsert_statement(dialect, table, tuple(rows[0]))
        await session.execute(statement, [dict(r) for r in rows])
