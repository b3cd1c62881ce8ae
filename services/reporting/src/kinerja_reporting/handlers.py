"""Where every event of kinerja.appraisal and kinerja.feedback goes: the one map of event
types to the projection functions (``projections/``) that write the read models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.projections import appraisal, directory, feedback, follow_up
from kinerja_reporting.projections.context import Projection
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.types.appraisal import (
    AssessmentFinalized,
    EmployeeUpserted,
    EmployeeUpsertedV1,
    ObjectionDecided,
    OrganisationPredikatSet,
    PeriodClosed,
    PeriodOpened,
    UnitUpserted,
)
from kinerja_shared.events.types.feedback import (
    FeedbackModerated,
    FeedbackSubmitted,
    FeedbackWithdrawn,
    FollowUpActionProgressed,
    FollowUpPlanRecorded,
    ScoresReviewed,
    ServicePointUpserted,
    ServiceUsersReported,
)


def _payload_only(
    apply: Callable[..., Awaitable[None]],
) -> Callable[[AsyncSession, CloudEvent, Any], Awaitable[None]]:
    """A handler for a projection function that needs only the event's payload."""

    async def handle(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
        await apply(session, payload=payload)

    return handle


def register_handlers(router: EventRouter, projection: Projection) -> EventRouter:
    """Register every handler on a router; they share one projection context."""
    router.on(PeriodOpened)(_payload_only(directory.record_period_opened))
    router.on(PeriodClosed)(_payload_only(directory.record_period_closed))
    router.on(FollowUpPlanRecorded)(_payload_only(follow_up.record_plan))
    router.on(FollowUpActionProgressed)(_payload_only(follow_up.record_progress))
    router.on(ObjectionDecided)(_payload_only(appraisal.record_objection_decision))
    router.on(OrganisationPredikatSet)(_payload_only(appraisal.record_organisation_predikat))

    @router.on_batch(UnitUpserted, EmployeeUpserted, EmployeeUpsertedV1, ServicePointUpserted)
    async def on_directory(
        session: AsyncSession, events: list[tuple[CloudEvent, directory.DirectoryEvent]]
    ) -> None:
        # Consecutive directory events (a rebuild replays thousands): one upsert per table.
        await directory.record_directory(session, payloads=[payload for _, payload in events])

    @router.on_batch(AssessmentFinalized)
    async def on_assessments(
        session: AsyncSession, events: list[tuple[CloudEvent, AssessmentFinalized]]
    ) -> None:
        await appraisal.record_assessments(session, payloads=[payload for _, payload in events])

    @router.on(ServiceUsersReported)
    async def on_service_users(
        session: AsyncSession, event: CloudEvent, payload: ServiceUsersReported
    ) -> None:
        await directory.record_service_users(
            session, projection=projection, payload=payload, at=event.time
        )

    @router.on_batch(FeedbackSubmitted, FeedbackModerated, ScoresReviewed, FeedbackWithdrawn)
    async def on_feedback(
        session: AsyncSession, events: list[tuple[CloudEvent, feedback.FeedbackEvent]]
    ) -> None:
        # Consecutive feedback events of a partition arrive as one list: folded in memory,
        # applied with a few multi-row statements, summaries and flags published once.
        await feedback.apply_feedback(
            session, projection=projection, events=[(payload, e.time) for e, payload in events]
        )

    return router
