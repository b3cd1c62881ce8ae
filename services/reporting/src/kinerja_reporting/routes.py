"""Every router of the reporting service, in the order of the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_reporting.fairness.endpoints import router as fairness_router
from kinerja_reporting.flags.endpoints import router as flags_router
from kinerja_reporting.ikm.endpoints import router as ikm_router
from kinerja_reporting.performance.endpoints import router as performance_router
from kinerja_reporting.publication.endpoints import router as publication_router
from kinerja_reporting.rebuild.endpoints import router as rebuild_router
from kinerja_reporting.summaries.endpoints import router as summaries_router

ROUTERS: list[APIRouter] = [
    ikm_router,
    summaries_router,
    flags_router,
    performance_router,
    fairness_router,
    rebuild_router,
    publication_router,
]
