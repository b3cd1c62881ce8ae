"""The local copy of citizen feedback summaries (fed by `feedback_summary.published`)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.models import CitizenFeedbackSummary
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def store_summary(session: AsyncSession, *, payload: FeedbackSummaryPublished) -> None:
    """Insert or replace the summary, unless a newer one is already stored."""
    row = await session.get(CitizenFeedbackSummary, (payload.employee_id, payload.period_key))
    if row is not None and aware(row.computed_at) > payload.computed_at:
        return
    if row is None:
        row = CitizenFeedbackSummary(
            employee_id=payload.employee_id,
            period_key=payload.period_key,
            responses=payload.responses,
            minimum_responses=payload.minimum_responses,
            sufficient=payload.sufficient,
            computed_at=payload.computed_at,
        )
        session.add(row)
    row.responses = payload.responses
    row.minimum_responses = payload.minimum_responses
    row.sufficient = payload.sufficient
    row.u6_mean = _text(payload.u6_mean)
    row.u7_mean = _text(payload.u7_mean)
    row.overall_rating_mean = _text(payload.overall_rating_mean)
    row.satisfaction_index = _text(payload.satisfaction_index)
    row.computed_at = payload.computed_at


async def summary_for(
    session: AsyncSession, *, employee_id: str, period_key: str
) -> CitizenFeedbackSummary | None:
    """The stored summary of an employee for a period, if any."""
    return await session.get(CitizenFeedbackSummary, (employee_id, period_key))
