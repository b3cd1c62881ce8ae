"""SQL of Open311: complaints as service requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import Feedback


async def complaints(
    session: AsyncSession,
    *,
    ids: list[str] | None,
    service_point_id: str | None,
    start: datetime | None,
    end: datetime | None,
    limit: int,
) -> list[Feedback]:
    """Complaints (withdrawn ones too) with these ids, of a service point, submitted from
    `start` to `end` (each None: any), newest first."""
    stmt = select(Feedback).where(col(Feedback.is_complaint).is_(True))
    if ids is not None:
        stmt = stmt.where(col(Feedback.id).in_(ids))
    if service_point_id is not None:
        stmt = stmt.where(col(Feedback.service_point_id) == service_point_id)
    if start is not None:
        stmt = stmt.where(col(Feedback.submitted_at) >= start)
    if end is not None:
        stmt = stmt.where(col(Feedback.submitted_at) <= end)
    rows = await session.scalars(stmt.order_by(col(Feedback.submitted_at).desc()).limit(limit))
    return list(rows)


async def complaint(session: AsyncSession, feedback_id: str) -> Feedback | None:
    """A complaint (withdrawn or not) by id."""
    rows = await session.scalars(
        select(Feedback).where(
            col(Feedback.id) == feedback_id, col(Feedback.is_complaint).is_(True)
        )
    )
    return rows.first()
