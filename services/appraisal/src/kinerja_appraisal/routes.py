"""Every HTTP router of the service, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_appraisal.assessment.endpoints import router as assessment
from kinerja_appraisal.execution.endpoints import router as execution
from kinerja_appraisal.imports.endpoints import router as imports
from kinerja_appraisal.objections.endpoints import router as objections
from kinerja_appraisal.organisation.endpoints import router as organisation
from kinerja_appraisal.periods.endpoints import router as periods
from kinerja_appraisal.results.endpoints import router as results
from kinerja_appraisal.skp.endpoints import router as skp

ROUTERS: list[APIRouter] = [
    organisation,
    imports,
    periods,
    skp,
    execution,
    assessment,
    objections,
    results,
]
