"""SQLAlchemy's aiosqlite adaptation with one trip to the driver's thread per statement.

aiosqlite runs every call on the sqlite3 connection in a thread of its own, and an asyncio
future carries each answer back. SQLAlchemy's adaptation makes a call for each step of a
statement: open a cursor, execute, fetch the rows, close the cursor — three or four trips,
each a thread wake-up and a hand-over of the GIL both ways, which cost more CPU than SQLite
takes to run a short statement. This adaptation does the same steps in one function run in
aiosqlite's thread: one trip per statement, the same rows, description, rowcount and
lastrowid, the same errors (translated by SQLAlchemy's own handler).

It is passed to the engine as its DBAPI module (`create_async_engine(module=...)`, the
documented way to give a dialect another DBAPI); only the cursor differs from SQLAlchemy's.
Server-side cursors (streaming results) keep SQLAlchemy's own cursor.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util.concurrency import await_

_Outcome = tuple[list[Any] | None, Any, int, int | None]


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> _Outcome:
    """In aiosqlite's thread: the whole statement, cursor opened and closed."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else None
        return rows, description, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose statement is one trip to aiosqlite's thread (see the module)."""

    __slots__ = ("_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # SQLAlchemy's cursor opens the driver's cursor here (a trip); this one opens it
        # with each statement, in the same trip.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = {}  # type: ignore[assignment]
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _async_soft_close(self) -> None:
        return  # nothing is left open after a statement

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            return await_(self._trip(operation, parameters, many=False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        try:
            return await_(self._trip(operation, seq_of_parameters, many=True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    async def _trip(self, operation: Any, parameters: Any, *, many: bool) -> None:
        connection: aiosqlite.Connection = self._connection  # type: ignore[assignment]
        async with self._adapt_connection._execute_mutex:
            rows, description, rowcount, lastrowid = await connection._execute(  # type: ignore[no-untyped-call]
                _run, connection._conn, operation, parameters, many
            )
        self._description = description
        self._rowcount = rowcount
        self._lastrowid = lastrowid
        self._rows = collections.deque(rows) if rows is not None else collections.deque()


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection with the one-trip cursor."""

    __slots__ = ()
    _cursor_cls = OneTripCursor  # type: ignore[assignment]


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI adaptation whose connections use the one-trip cursor."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def one_trip_dbapi() -> OneTripDBAPI:
    """The DBAPI module to give a `sqlite+aiosqlite` engine (`module=`)."""
    return OneTripDBAPI(aiosqlite, sqlite3)
