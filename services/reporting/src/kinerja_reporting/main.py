"""The reporting service: read models fed by events, and report queries over them."""

from __future__ import annotations

from fastapi import FastAPI

from kinerja_reporting.routes import ROUTERS
from kinerja_reporting.runtime import create_runtime
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.app import create_service_app

PREFIX = "/api/v1/reporting"


def create_app(settings: ReportingSettings | None = None) -> FastAPI:
    """Build the reporting app (tests pass their own settings)."""
    settings = settings or ReportingSettings()
    return create_service_app(
        create_runtime(settings),
        title="Kinerja reporting",
        description=(
            "Read models built only from events: citizen satisfaction (IKM), employee feedback "
            "summaries, units needing improvement, performance and fairness views, exports."
        ),
        routers=ROUTERS,
        prefix=PREFIX,
    )


app = create_app()
