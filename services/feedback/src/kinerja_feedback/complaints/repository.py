"""SQL of complaints: a complaint by id, the lists of a unit, the history of one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import ComplaintEntry, Feedback


async def submission(
    session: AsyncSession, feedback_id: str, *, lock: bool = False
) -> Feedback | None:
    """A submission by id (locked for update when `lock`), complaint or not."""
    stmt = select(Feedback).where(col(Feedback.id) == feedback_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


async def entries(session: AsyncSession, feedback_id: str) -> list[ComplaintEntry]:
    """The history entries of a complaint, oldest first."""
    rows = await session.scalars(
        select(ComplaintEntry)
        .where(col(ComplaintEntry.feedback_id) == feedback_id)
        .order_by(col(ComplaintEntry.id))
    )
    return list(rows)


async def complaints(
    session: AsyncSession, *, unit_id: str | None, status: str | None, limit: int
) -> list[Feedback]:
    """Complaints not withdrawn, of a unit (or all) and in a status (or any), newest first."""
    stmt = select(Feedback).where(
        col(Feedback.is_complaint).is_(True),
        col(Feedback.withdrawn_at).is_(None),
    )
    if unit_id is not None:
        stmt = stmt.where(col(Feedback.unit_id) == unit_id)
    if status is not None:
        stmt = stmt.where(col(Feedback.complaint_status) == status)
    rows = await session.scalars(stmt.order_by(col(Feedback.submitted_at).desc()).limit(limit))
    return list(rows)
