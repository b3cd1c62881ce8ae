"""SQL of moderation: what waits for a decision, a submission, its logged actions."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_feedback.models import Feedback, ModerationAction
from kinerja_shared.pagination import PageParams, paginate


async def waiting(
    session: AsyncSession,
    *,
    unit_id: str | None,
    excluded: set[str] | None,
    page: PageParams,
    newest_first: bool,
) -> tuple[Sequence[Feedback], int]:
    """One page of submissions not withdrawn with a comment pending or scores held (of a unit,
    or all), and their total; without those naming an `excluded` employee (None: without
    any naming someone)."""
    stmt = select(Feedback).where(
        or_(
            col(Feedback.moderation_status) == "pending",
            col(Feedback.scores_held).is_(True),
            col(Feedback.staff_status) == "held",
        ),
        col(Feedback.withdrawn_at).is_(None),
    )
    if unit_id is not None:
        stmt = stmt.where(col(Feedback.unit_id) == unit_id)
    if excluded is None:
        stmt = stmt.where(col(Feedback.employee_id).is_(None))
    elif excluded:
        stmt = stmt.where(
            or_(
                col(Feedback.employee_id).is_(None),
                col(Feedback.employee_id).not_in(sorted(excluded)),
            )
        )
    submitted, key = col(Feedback.submitted_at), col(Feedback.id)
    order = (submitted.desc(), key.desc()) if newest_first else (submitted, key)
    return await paginate(session, stmt.order_by(*order), page)


async def submission(
    session: AsyncSession, feedback_id: str, *, lock: bool = False
) -> Feedback | None:
    """A submission by id (locked for update when `lock`)."""
    if not lock:
        return await session.get(Feedback, feedback_id)
    return (
        await session.scalars(
            select(Feedback).where(col(Feedback.id) == feedback_id).with_for_update()
        )
    ).first()


async def actions(session: AsyncSession, feedback_id: str) -> list[ModerationAction]:
    """Every logged action on a submission, oldest first."""
    rows = await session.scalars(
        select(ModerationAction)
        .where(col(ModerationAction.feedback_id) == feedback_id)
        .order_by(col(ModerationAction.id))
    )
    return list(rows)
