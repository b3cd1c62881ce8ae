"""SQL of objections."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.models import Objection
from kinerja_shared.pagination import PageParams, paginate


async def objection_id_of(session: AsyncSession, *, assessment_id: str) -> str | None:
    """The id of the objection to an assessment, if one was filed."""
    return await session.scalar(
        select(Objection.id).where(Objection.assessment_id == assessment_id)
    )


async def objections_page(
    session: AsyncSession,
    *,
    page: PageParams,
    party: str | None,
    state: str | None,
    employee_id: str | None,
) -> tuple[Sequence[Objection], int]:
    """A page of objections, oldest first; `party` (an employee id) keeps those filed or
    reviewed by that employee (None: all)."""
    query = select(Objection)
    if party is not None:
        query = query.where(
            (col(Objection.employee_id) == party) | (col(Objection.reviewer_id) == party)
        )
    if state:
        query = query.where(Objection.state == state)
    if employee_id:
        query = query.where(Objection.employee_id == employee_id)
    return await paginate(session, query.order_by(col(Objection.filed_at), col(Objection.id)), page)
