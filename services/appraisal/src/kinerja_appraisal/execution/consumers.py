"""Event handlers: the reporting service's citizen feedback summaries, kept locally
(mapped to their event types in handlers.py)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.execution import service
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished


async def on_feedback_summary(
    session: AsyncSession, event: CloudEvent, payload: FeedbackSummaryPublished
) -> None:
    """Keep the newest summary of each employee and period."""
    await service.store_summary(session, payload=payload)
