"""SQL of submissions: idempotency look-ups, rate counters, abuse context."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, exists, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import ComplaintEntry, Feedback, RateCounter
from kinerja_feedback.upsert import insert_for

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


async def bump_counters(
    session: AsyncSession, keys: list[tuple[str, str, datetime]]
) -> dict[str, int]:
    """Add one to each (scope, subject, window start) counter in one statement; new counts."""
    if not keys:
        return {}
    table = RateCounter.__table__  # type: ignore[attr-defined]
    stmt = insert_for(session, RateCounter).values(
        [{"scope": s, "subject": k, "window_start": w, "count": 1} for s, k, w in keys]
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["scope", "subject", "window_start"],
        set_={"count": table.c.count + 1},
    ).returning(table.c.scope, table.c.count)
    rows = await session.execute(stmt)
    return {str(row[0]): int(row[1]) for row in rows}


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
    parts: list[Any] = []
    if address_hash is not None:
        recent = (
            select(literal(1))
            .where(
                _FEEDBACK.address_hash == address_hash,
                _FEEDBACK.submitted_at > since,
                _FEEDBACK.submitted_at <= until,
            )
            .limit(limit)
            .subquery()
        )
        parts.append(select(func.count()).select_from(recent).scalar_subquery())
    else:
        parts.append(literal(0))
    if duplicate_key is not None:
        parts.append(
            exists().where(
                _FEEDBACK.duplicate_key == duplicate_key, _FEEDBACK.withdrawn_at.is_(None)
            )
        )
    else:
        parts.append(literal(False))
    if address_hash is None and duplicate_key is None:
        return 0, False
    row = (await session.execute(select(*parts))).one()
    return int(row[0]), bool(row[1])
