"""Every HTTP router of the service, in the order they appear in the OpenAPI document, and
the handlers of the service's own exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kinerja_appraisal.assessment.endpoints import router as assessment
from kinerja_appraisal.domain import AppraisalRuleError
from kinerja_appraisal.errors import rule_error_response
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

ExceptionHandler = Callable[[Request, Exception], Awaitable[Response]]

# A broken domain rule answers as its problem (errors.py holds the one mapping).
EXCEPTION_HANDLERS: dict[type[Exception], ExceptionHandler] = {
    AppraisalRuleError: rule_error_response,
}
