"""The reporting service: read models fed by events, and report queries over them."""

from __future__ import annotations

from fastapi import FastAPI

from kinerja_reporting.consumers import register_handlers
from kinerja_reporting.fairness.endpoints import router as fairness_router
from kinerja_reporting.flags.endpoints import router as flags_router
from kinerja_reporting.ikm.endpoints import router as ikm_router
from kinerja_reporting.models import metadata
from kinerja_reporting.performance.endpoints import router as performance_router
from kinerja_reporting.projection import Projection
from kinerja_reporting.publication.endpoints import router as publication_router
from kinerja_reporting.rebuild.endpoints import router as rebuild_router
from kinerja_reporting.settings import ReportingSettings
from kinerja_reporting.summaries.endpoints import router as summaries_router
from kinerja_shared.app import create_service_app
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, REPORTING
from kinerja_shared.runtime import ConsumerSpec, ServiceRuntime

PREFIX = "/api/v1/reporting"


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


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    """Build the reporting app (tests pass their own settings)."""
    settings = settings or ReportingSettings()
    runtime = create_runtime(settings)
    return create_service_app(
        runtime,
        title="Kinerja reporting",
        description=(
            "Read models built only from events: citizen satisfaction (IKM), employee feedback "
            "summaries, units needing improvement, performance and fairness views, exports."
        ),
        routers=[
            ikm_router,
            summaries_router,
            flags_router,
            performance_router,
            fairness_router,
            rebuild_router,
            publication_router,
        ],
        prefix=PREFIX,
    )


app = create_app()
