"""SQL of submissions: idempotency look-ups, rate counters, abuse context."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Row, Select, bindparam, exists, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import ComplaintEntry, Feedback, RateCounter
from kinerja_feedback.upsert import insert_for_dialect

_FEEDBACK_TABLE = Feedback.__table__  # type: ignore[attr-defined]
_FEEDBACK = _FEEDBACK_TABLE.c


async def stored_response(session: AsyncSession, key: str) -> Row[Any] | None:
    """Fingerprint, status and body stored under an idempotency key (only those columns)."""
    result = await session.execute(
        select(
            _FEEDBACK.request_fingerprint, _FEEDBACK.response_status, _FEEDBACK.response_body
        ).where(_FEEDBACK.idempotency_key == key)
    )
    return result.first()


async def insert_feedback(session: AsyncSession, row: dict[str, Any]) -> None:
    """Insert one submission row (Core, no ORM unit of work)."""
    await session.execute(insert(_FEEDBACK_TABLE), row)


async def insert_complaint_entry(session: AsyncSession, row: dict[str, Any]) -> None:
    """Insert one complaint history entry (Core)."""
    await session.execute(insert(ComplaintEntry.__table__), row)  # type: ignore[attr-defined]


async def by_tracking_code(session: AsyncSession, code: str) -> Feedback | None:
    """The submission with a (canonical) tracking code."""
    rows = await session.scalars(select(Feedback).where(col(Feedback.tracking_code) == code))
    return rows.first()


@functools.cache
def _bump_statement(dialect: str, rows: int) -> Any:
    """INSERT ... ON CONFLICT adding one to `rows` counters, built once per dialect and size
    (values are bound per call, so the compiled form is cached too)."""
    table = RateCounter.__table__  # type: ignore[attr-defined]
    values = [
        {
            "scope": bindparam(f"scope_{n}", type_=table.c.scope.type),
            "subject": bindparam(f"subject_{n}", type_=table.c.subject.type),
            "window_start": bindparam(f"window_{n}", type_=table.c.window_start.type),
            "count": 1,
        }
        for n in range(rows)
    ]
    return (
        insert_for_dialect(dialect, table)
        .values(values)
        .on_conflict_do_update(
            index_elements=["scope", "subject", "window_start"],
            set_={"count": table.c.count + 1},
        )
        .returning(table.c.scope, table.c.count)
    )


async def bump_counters(
    session: AsyncSession, keys: list[tuple[str, str, datetime]]
) -> dict[str, int]:
    """Add one to each (scope, subject, window start) counter in one statement; new counts."""
    if not keys:
        return {}
    params: dict[str, Any] = {}
    for n, (scope, subject, start) in enumerate(keys):
        params.update({f"scope_{n}": scope, f"subject_{n}": subject, f"window_{n}": start})
    stmt = _bump_statement(session.get_bind().dialect.name, len(keys))
    rows = await session.execute(stmt, params)
    return {str(row[0]): int(row[1]) for row in rows}


@functools.cache
def _abuse_statement(by_address: bool, by_duplicate: bool) -> Select[Any]:
    """The abuse context query for the parts asked, built once (values are bound per call)."""
    parts: list[Any] = []
    if by_address:
        recent = (
            select(literal(1))
            .where(
                _FEEDBACK.address_hash == bindparam("address_hash"),
                _FEEDBACK.submitted_at > bindparam("since", type_=_FEEDBACK.submitted_at.type),
                _FEEDBACK.submitted_at <= bindparam("until", type_=_FEEDBACK.submitted_at.type),
            )
            .limit(bindparam("limit", type_=Integer()))
            .subquery()
        )
        parts.append(select(func.count()).select_from(recent).scalar_subquery())
    else:
        parts.append(literal(0))
    if by_duplicate:
        parts.append(
            exists().where(
                _FEEDBACK.duplicate_key == bindparam("duplicate_key"),
                _FEEDBACK.withdrawn_at.is_(None),
            )
        )
    else:
        parts.append(literal(False))
    return select(*parts)


async def abuse_context(
    session: AsyncSession,
    *,
    address_hash: str | None,
    since: datetime,
    until: datetime,
    limit: int,
    duplicate_key: str | None,
) -> tuple[int, bool]:
    """Submissions from the address in (since, until], counted up to `limit`, and whether
    the duplicate key is taken; one round trip, each part bounded by an index."""
    if address_hash is None and duplicate_key is None:
        return 0, False
    params: dict[str, Any] = {}
    if address_hash is not None:
        params.update(address_hash=address_hash, since=since, until=until, limit=limit)
    if duplicate_key is not None:
        params["duplicate_key"] = duplicate_key
    stmt = _abuse_statement(address_hash is not None, duplicate_key is not None)
    row = (await session.execute(stmt, params)).one()
    return int(row[0]), bool(row[1])
