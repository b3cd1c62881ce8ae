"""A safety net: database refusals become problems instead of 500s.

Use cases check their rules first; these handlers cover what only the database sees, such
as two concurrent requests creating the same unit code (IntegrityError, 409) or a value the
column cannot hold, like a NUL character in text on PostgreSQL (DataError, 422).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError

from kinerja_shared.problems import problem_response

log = logging.getLogger(__name__)


async def _integrity(request: Request, exc: Exception) -> JSONResponse:
    log.info("database refused a write", extra={"error": type(exc).__name__})
    return problem_response(
        request,
        status=409,
        title="Conflict",
        slug="conflict",
        detail="the change conflicts with data written at the same time; reload and retry",
    )


async def _data(request: Request, exc: Exception) -> JSONResponse:
    log.info("database refused a value", extra={"error": type(exc).__name__})
    return problem_response(
        request,
        status=422,
        title="Invalid input",
        slug="invalid-input",
        detail="a value cannot be stored (control characters or a number out of range)",
    )


def install_database_error_handlers(app: FastAPI) -> None:
    """Map IntegrityError to 409 and DataError to 422 problem+json."""
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DataError, _data)
