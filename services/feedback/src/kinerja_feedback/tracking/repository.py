"""SQL of tracking look-ups: a submission by its tracking code's digest, and the failed
look-ups of an address per fixed window."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.domain.abuse import RateLimit
from kinerja_feedback.models import Feedback, RateCounter
from kinerja_shared.upsert import insert_for

SCOPE = "track_miss"
_COUNTER = RateCounter.__table__  # type: ignore[attr-defined]


def window_start(now: datetime, rate: RateLimit) -> datetime:
    """The start of the fixed window `now` falls in."""
    seconds = int(rate.window.total_seconds())
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


async def failures(
    session: AsyncSession, subject: str, now: datetime, rate: RateLimit
) -> tuple[datetime, int]:
    """The current window's start and the failed look-ups counted in it."""
    start = window_start(now, rate)
    count = await session.scalar(
        select(_COUNTER.c.count).where(
            _COUNTER.c.scope == SCOPE,
            _COUNTER.c.subject == subject,
            _COUNTER.c.window_start == start,
        )
    )
    return start, int(count or 0)


async def add_failure(session: AsyncSession, subject: str, now: datetime, rate: RateLimit) -> None:
    """Count one failed look-up in the current window."""
    stmt = insert_for(session, _COUNTER).values(
        scope=SCOPE, subject=subject, window_start=window_start(now, rate), count=1
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["scope", "subject", "window_start"],
            set_={"count": _COUNTER.c.count + 1},
        )
    )


async def by_tracking_digest(
    session: AsyncSession, digest: str, *, lock: bool = False
) -> Feedback | None:
    """The submission whose tracking code has this digest (locked for update when `lock`)."""
    stmt = select(Feedback).where(col(Feedback.tracking_digest) == digest)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()
