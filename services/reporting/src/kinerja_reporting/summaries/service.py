"""Use cases of staff feedback summaries: keep totals, publish the summary when it changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.feedback_summary import (
    StaffFeedbackSummary,
    StaffFeedbackTotals,
    summarise_staff_feedback,
)
from kinerja_reporting.ikm.repository import add_to_totals
from kinerja_reporting.models import STAFF_TOTALS
from kinerja_reporting.projection import Projection
from kinerja_reporting.summaries.repository import (
    staff_rows_by_period,
    staff_rows_of_employees,
    staff_totals_of,
)
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished


async def count_staff_response(
    session: AsyncSession,
    *,
    projection: Projection,
    employee_id: str,
    period_keys: Sequence[str],
    answers: Mapping[int, int],
    overall_rating: int | None,
    sign: int,
    at: datetime,
) -> None:
    """Add or subtract one response naming an employee, and publish the new summaries."""
    await add_to_totals(
        session,
        STAFF_TOTALS,
        [{"employee_id": employee_id, "period_key": key} for key in period_keys],
        answers,
        sign,
        extra={"overall_sum": overall_rating or 0, "overall_count": int(bool(overall_rating))},
    )
    if not projection.publish:
        return  # replaying: nobody to tell, and the totals are all a report needs
    rows = {r.period_key: r for r in await staff_rows_by_period(session, employee_id, period_keys)}
    await projection.emit_many(
        session,
        [
            published_event(
                employee_id,
                key,
                summarise(staff_totals_of(rows.get(key)), projection.settings.minimum_responses),
            )
            for key in period_keys
        ],
    )


async def publish_summaries(
    session: AsyncSession,
    *,
    projection: Projection,
    changed: Mapping[str, tuple[Iterable[str], datetime]],
) -> None:
    """Publish the current summaries of several employees (employee -> periods, time)."""
    if not projection.publish or not changed:
        return
    keys = {key for period_keys, _ in changed.values() for key in period_keys}
    rows = {
        (r.employee_id, r.period_key): r
        for r in await staff_rows_of_employees(session, list(changed), keys)
    }
    minimum = projection.settings.minimum_responses
    await projection.emit_many(
        session,
        [
            published_event(
                employee_id,
                key,
                summarise(staff_totals_of(rows.get((employee_id, key))), minimum),
            )
            for employee_id, (period_keys, _) in sorted(changed.items())
            for key in sorted(period_keys)
        ],
    )


def summarise(totals: StaffFeedbackTotals, minimum_responses: int) -> StaffFeedbackSummary:
    """The summary the appraiser sees (numbers only from the minimum responses on)."""
    return summarise_staff_feedback(totals, minimum_responses=minimum_responses)


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
