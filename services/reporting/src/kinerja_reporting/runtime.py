"""The reporting service's runtime: engine, outbox relay (kinerja.reporting) and the consumer
of both source topics, its handlers sharing one projection context."""

from __future__ import annotations

from kinerja_reporting.handlers import register_handlers
from kinerja_reporting.models import metadata
from kinerja_reporting.projections.context import Projection
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, REPORTING
from kinerja_shared.runtime import ConsumerSpec, ServiceRuntime


def create_runtime(settings: ReportingSettings) -> ServiceRuntime:
    """Engine, outbox relay (kinerja.reporting) and the consumer of both source topics."""
    router = EventRouter()
    runtime = ServiceRuntime(
        settings,
        metadata,
        publishes=(REPORTING,),
        consumers=(
            ConsumerSpec(
                group_id=settings.consumer_group, topics=(APPRAISAL, FEEDBACK), router=router
            ),
        ),
    )
    register_handlers(router, Projection(settings=settings, outbox=runtime.outbox))
    return runtime
