"""Event handlers: the reporting service's citizen feedback summaries, kept locally."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.execution.feedback_summary import store_summary
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished

router = EventRouter()


@router.on(FeedbackSummaryPublished)
async def on_feedback_summary(
    session: AsyncSession, event: CloudEvent, payload: FeedbackSummaryPublished
) -> None:
    """Keep the newest summary of each employee and period."""
    await store_summary(session, payload=payload)
