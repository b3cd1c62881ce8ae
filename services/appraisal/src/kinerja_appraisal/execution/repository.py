"""SQL of realisations, feedback notes and the local citizen feedback summaries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.models import CitizenFeedbackSummary, FeedbackNote, Realisation
from kinerja_shared.pagination import PageParams, paginate


async def realisation_of(
    session: AsyncSession, *, indicator_id: str, period_id: str
) -> Realisation | None:
    """The realisation of an indicator in a period, if recorded."""
    return await session.scalar(
        select(Realisation).where(
            Realisation.indicator_id == indicator_id, Realisation.period_id == period_id
        )
    )


async def realisations_page(
    session: AsyncSession, *, page: PageParams, employee_id: str, period_id: str | None
) -> tuple[Sequence[Realisation], int]:
    """A page of an employee's realisations (optionally of one period), oldest change first."""
    query = select(Realisation).where(Realisation.employee_id == employee_id)
    if period_id:
        query = query.where(Realisation.period_id == period_id)
    return await paginate(
        session, query.order_by(col(Realisation.updated_at), col(Realisation.id)), page
    )


async def feedback_notes_page(
    session: AsyncSession, *, page: PageParams, employee_id: str, period_id: str | None
) -> tuple[Sequence[FeedbackNote], int]:
    """A page of an employee's feedback notes (optionally of one period), oldest first."""
    query = select(FeedbackNote).where(FeedbackNote.employee_id == employee_id)
    if period_id:
        query = query.where(FeedbackNote.period_id == period_id)
    return await paginate(
        session, query.order_by(col(FeedbackNote.created_at), col(FeedbackNote.id)), page
    )


async def summaries_of(
    session: AsyncSession, *, employee_id: str, period_key: str | None
) -> Sequence[CitizenFeedbackSummary]:
    """An employee's citizen feedback summaries (optionally of one period), by period."""
    query = select(CitizenFeedbackSummary).where(CitizenFeedbackSummary.employee_id == employee_id)
    if period_key:
        query = query.where(CitizenFeedbackSummary.period_key == period_key)
    rows = await session.scalars(query.order_by(col(CitizenFeedbackSummary.period_key)))
    return rows.all()
