"""The appraisal service's ASGI app: `kinerja_appraisal.main:app`."""

from __future__ import annotations

from fastapi import FastAPI

from kinerja_appraisal.execution.consumers import router as consumer_router
from kinerja_appraisal.models import metadata
from kinerja_appraisal.routes import ROUTERS
from kinerja_appraisal.settings import PREFIX, AppraisalSettings
from kinerja_shared.app import create_service_app
from kinerja_shared.events.topics import APPRAISAL, REPORTING
from kinerja_shared.runtime import ConsumerSpec, ServiceRuntime

CONSUMER_GROUP = "appraisal"


def create_runtime(settings: AppraisalSettings) -> ServiceRuntime:
    """The runtime: publishes kinerja.appraisal, consumes kinerja.reporting."""
    return ServiceRuntime(
        settings,
        metadata,
        publishes=(APPRAISAL,),
        consumers=(
            ConsumerSpec(group_id=CONSUMER_GROUP, topics=(REPORTING,), router=consumer_router),
        ),
    )


def create_app(settings: AppraisalSettings | None = None) -> FastAPI:
    """Build the appraisal service app (tests pass their own settings)."""
    settings = settings or AppraisalSettings()
    runtime = create_runtime(settings)
    return create_service_app(
        runtime,
        title="Kinerja appraisal",
        description=(
            "Organisation, employees, periods, SKP plans, realisations, assessments,"
            " predikat, objections and the audit trail (PermenPANRB 6/2022)."
        ),
        routers=ROUTERS,
        prefix=PREFIX,
    )


app = create_app()
