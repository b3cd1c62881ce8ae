"""Staff feedback summaries: publish an employee's summary when their totals change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.feedback_summary import (
    StaffFeedbackSummary,
    StaffFeedbackTotals,
    summarise_staff_feedback,
)
from kinerja_reporting.projections.context import Projection
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished


async def publish_summaries(
    session: AsyncSession,
    *,
    projection: Projection,
    changed: Mapping[str, tuple[Iterable[str], datetime]],
    totals: Mapping[tuple[str, str], StaffFeedbackTotals],
) -> None:
    """Publish the current summaries of several employees (employee -> periods, time), from
    their current ``totals`` by (employee, period) (as the increment answered them)."""
    if not projection.publish or not changed:
        return  # replaying: nobody to tell, and the totals are all a report needs
    minimum = projection.settings.minimum_responses
    await projection.emit_many(
        session,
        [
            published_event(
                employee_id,
                key,
                summarise_staff_feedback(
                    totals.get((employee_id, key), StaffFeedbackTotals()),
                    minimum_responses=minimum,
                ),
            )
            for employee_id, (period_keys, _) in sorted(changed.items())
            for key in sorted(period_keys)
        ],
    )


def published_event(
    employee_id: str, period_key: str, summary: StaffFeedbackSummary
) -> FeedbackSummaryPublished:
    """The `feedback_summary.published` event of a summary.

    `computed_at` is when it was computed, not the time of the event that changed it: events
    of one employee arrive from several partitions in any order, and the appraisal service
    keeps the summary with the latest `computed_at`, so an event time would let an older,
    less complete summary win.
    """
    return FeedbackSummaryPublished(
        summary_id=f"{employee_id}/{period_key}",
        employee_id=employee_id,
        period_key=period_key,
        responses=summary.responses,
        minimum_responses=summary.minimum_responses,
        sufficient=summary.published,
        u6_mean=summary.u6_mean,
        u7_mean=summary.u7_mean,
        overall_rating_mean=summary.overall_rating_mean,
        satisfaction_index=summary.index,
        computed_at=utcnow(),
    )
