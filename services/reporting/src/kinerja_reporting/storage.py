"""SQL building blocks the repositories share: upserts that work on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Date, Integer, String, Table, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeEngine

from kinerja_shared.columns import UtcDateTime
from kinerja_shared.db import driver_processor, takes_driver_parameters
from kinerja_shared.upsert import insert_for_dialect


@cache
def _insert_missing_statement(dialect: str, table: Table) -> Any:
    base = insert_for_dialect(dialect, table)
    return base.on_conflict_do_nothing()


async def insert_missing(session: AsyncSession, table: Table, values: Mapping[str, Any]) -> None:
    """Insert a row unless one with the same primary key exists."""
    dialect = session.get_bind().dialect.name
    await session.execute(_insert_missing_statement(dialect, table), dict(values))


@cache
def _single_upsert_statement(
    dialect: str, table: Table, columns: tuple[str, ...], index: tuple[str, ...]
) -> Any:
    base = insert_for_dialect(dialect, table)
    excluded = base.excluded
    changes = {k: excluded[k] for k in columns if k not in index}
    if changes:
        return base.on_conflict_do_update(index_elements=list(index), set_=changes)
    return base.on_conflict_do_nothing()


async def upsert(
    session: AsyncSession,
    table: Table,
    values: Mapping[str, Any],
    *,
    keys: Sequence[str] | None = None,
) -> None:
    """Insert a row or overwrite the non-key columns of the existing one.

    The statement is built once per table and set of columns (building it anew costs more
    than executing it), the row goes as parameters.
    """
    index = tuple(keys or [c.name for c in table.primary_key.columns])
    dialect = session.get_bind().dialect.name
    statement = _single_upsert_statement(dialect, table, tuple(values), index)
    await session.execute(statement, dict(values))


#: Column types whose values the drivers take as they are (no SQLAlchemy bind processing
#: needed): such tables are written in bulk with the driver's own executemany.
_PLAIN_TYPES = (Integer, String, Boolean, Date)


@cache
def _bulk_upsert_sql(dialect: Dialect, table: Table, columns: tuple[str, ...], add: bool) -> str:
    """INSERT .. ON CONFLICT (key) DO UPDATE, in the driver's parameter style.

    ``add``: counters move (``c = c + excluded.c``); otherwise they are overwritten.
    """
    quote = dialect.identifier_preparer.quote
    keys = [c.name for c in table.primary_key.columns]
    marks = (
        ["?"] * len(columns)
        if dialect.paramstyle == "qmark"
        else [f"${i}" for i in range(1, len(columns) + 1)]
    )
    name = quote(table.name)
    changes = ", ".join(
        f"{quote(c)} = {name}.{quote(c)} + excluded.{quote(c)}"
        if add
        else f"{quote(c)} = excluded.{quote(c)}"
        for c in columns
        if c not in keys
    )
    # Identifiers come from the table's metadata, quoted; values are parameters.
    names, index = ", ".join(quote(c) for c in columns), ", ".join(quote(k) for k in keys)
    insert = f"INSERT INTO {name} ({names}) VALUES ({', '.join(marks)})"  # noqa: S608
    return f"{insert} ON CONFLICT ({index}) DO UPDATE SET {changes}"


@cache
def _is_plain(dialect: Dialect, table: Table, columns: tuple[str, ...]) -> bool:
    return takes_driver_parameters(dialect) and all(_plain(table.c[c].type) for c in columns)


def _plain(type_: TypeEngine[Any]) -> bool:
    if isinstance(type_, UtcDateTime):
        # Converted per value by SQLAlchemy's own bind processor (``driver_processor``):
        # to UTC, and to text on SQLite.
        return True
    if isinstance(type_, TypeDecorator):
        # A decorator that converts nothing (as SQLModel's AutoString) binds like its impl.
        converts = type(type_).process_bind_param is not TypeDecorator.process_bind_param
        return not converts and _plain(type_.impl_instance)
    return isinstance(type_, _PLAIN_TYPES)


async def _bulk_upsert(
    session: AsyncSession,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    columns: tuple[str, ...],
    *,
    add: bool,
) -> bool:
    """Write rows with the driver's executemany; False when the table needs SQLAlchemy's types.

    SQLAlchemy's executemany processes the parameters of every row in Python (the largest
    cost of a rebuild's writes); for tables of integers, strings, booleans and dates the
    drivers take the values as they are (dates and timestamps converted by SQLAlchemy's own
    bind processors, so they are stored as SQLAlchemy stores them).
    """
    dialect = session.get_bind().dialect
    if not _is_plain(dialect, table, columns):
        return False
    sql = _bulk_upsert_sql(dialect, table, columns, add)
    if len(columns) == 1:
        values: list[tuple[Any, ...]] = [(row[columns[0]],) for row in rows]
    else:
        pick = itemgetter(*columns)
        values = [pick(row) for row in rows]
    converted = [
        (i, process)
        for i, c in enumerate(columns)
        if (process := driver_processor(dialect, table, c)) is not None
    ]
    if converted:  # e.g. dates on SQLite, stored as text
        for n, found in enumerate(values):
            row = list(found)
            for i, process in converted:
                row[i] = process(row[i])
            values[n] = tuple(row)
    connection = await session.connection()
    await connection.exec_driver_sql(sql, values)
    return True


@cache
def _increment_statement(dialect: str, table: Table, columns: tuple[str, ...]) -> Any:
    base = insert_for_dialect(dialect, table)
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
    if not rows:
        return
    keys = tuple(c.name for c in table.primary_key.columns)
    if await _bulk_upsert(session, table, rows, (*keys, *columns), add=True):
        return
    dialect = session.get_bind().dialect.name
    statement = _increment_statement(dialect, table, tuple(columns))
    await session.execute(statement, [dict(r) for r in rows])


@cache
def _increment_returning_statement(dialect: str, table: Table, columns: tuple[str, ...]) -> Any:
    return _increment_statement(dialect, table, columns).returning(*table.c)


async def increment_returning(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> list[Any]:
    """``increment``, answering with the rows as they are afterwards (in one statement: a
    read-back would be another)."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    statement = _increment_returning_statement(dialect, table, tuple(columns))
    result = await session.execute(statement, [dict(r) for r in rows])
    return list(result.all())


@cache
def _upsert_statement(dialect: str, table: Table, columns: tuple[str, ...]) -> Any:
    base = insert_for_dialect(dialect, table)
    keys = [c.name for c in table.primary_key.columns]
    excluded = base.excluded
    return base.on_conflict_do_update(
        index_elements=keys, set_={c: excluded[c] for c in columns if c not in keys}
    )


async def upsert_many(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert rows or overwrite the non-key columns of existing ones (full rows, one statement)."""
    if not rows:
        return
    if await _bulk_upsert(session, table, rows, tuple(rows[0]), add=False):
        return
    dialect = session.get_bind().dialect.name
    statement = _upsert_statement(dialect, table, tuple(rows[0]))
    await session.execute(statement, [dict(r) for r in rows])


async def upsert_in_order(
    session: AsyncSession, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Upsert rows as one by one upserts in this order would leave them, in few statements.

    The rows of one key merge (a later row's columns win, the others stay from earlier
    rows), then the merged rows go with one ``upsert_many`` per set of columns.
    """
    keys = [c.name for c in table.primary_key.columns]
    pick = itemgetter(*keys)
    merged: dict[Any, dict[str, Any]] = {}
    for row in rows:
        key = pick(row)
        found = merged.get(key)
        merged[key] = dict(row) if found is None else {**found, **row}
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in merged.values():
        by_columns.setdefault(tuple(row), []).append(row)
    for same in by_columns.values():
        await upsert_many(session, table, same)
