"""Where every event of kinerja.appraisal and kinerja.feedback goes: the one map of event
types to the projection functions (``projections/``) that write the read models."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.projections import appraisal, directory, feedback, follow_up
from kinerja_reporting.projections.context import Projection
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.types.appraisal import (
    AnyEmployeeUpserted,
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


def register_handlers(router: EventRouter, projection: Projection) -> EventRouter:
    """Register every handler on a router; they share one projection context."""

    @router.on(UnitUpserted)
    async def on_unit(session: AsyncSession, event: CloudEvent, payload: UnitUpserted) -> None:
        await directory.record_unit(session, payload=payload)

    @router.on(EmployeeUpserted, EmployeeUpsertedV1)
    async def on_employee(
        session: AsyncSession, event: CloudEvent, payload: AnyEmployeeUpserted
    ) -> None:
        await directory.record_employee(session, payload=payload)

    @router.on(ServicePointUpserted)
    async def on_service_point(
        session: AsyncSession, event: CloudEvent, payload: ServicePointUpserted
    ) -> None:
        await directory.record_service_point(session, payload=payload)

    @router.on(PeriodOpened)
    async def on_period_opened(
        session: AsyncSession, event: CloudEvent, payload: PeriodOpened
    ) -> None:
        await directory.record_period_opened(session, payload=payload)

    @router.on(PeriodClosed)
    async def on_period_closed(
        session: AsyncSession, event: CloudEvent, payload: PeriodClosed
    ) -> None:
        await directory.record_period_closed(session, payload=payload)

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

    @router.on(FollowUpPlanRecorded)
    async def on_follow_up_plan(
        session: AsyncSession, event: CloudEvent, payload: FollowUpPlanRecorded
    ) -> None:
        await follow_up.record_plan(session, payload=payload)

    @router.on(FollowUpActionProgressed)
    async def on_follow_up_progress(
        session: AsyncSession, event: CloudEvent, payload: FollowUpActionProgressed
    ) -> None:
        await follow_up.record_progress(session, payload=payload)

    @router.on(AssessmentFinalized)
    async def on_assessment(
        session: AsyncSession, event: CloudEvent, payload: AssessmentFinalized
    ) -> None:
        await appraisal.record_assessment(session, payload=payload)

    @router.on(ObjectionDecided)
    async def on_objection(
        session: AsyncSession, event: CloudEvent, payload: ObjectionDecided
    ) -> None:
        await appraisal.record_objection_decision(session, payload=payload)

    @router.on(OrganisationPredikatSet)
    async def on_organisation_predikat(
        session: AsyncSession, event: CloudEvent, payload: OrganisationPredikatSet
    ) -> None:
        await appraisal.record_organisation_predikat(session, payload=payload)

    return router
