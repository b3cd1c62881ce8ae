"""RFC 9457 problem details: the domain exception tree and the FastAPI handlers for it."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kinerja_shared.context import request_id_var

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://kinerja.denpasar.go.id/problems/"


class FieldError(BaseModel):
    """One field at fault."""

    field: str = Field(description="Dotted path of the field, e.g. body.answers.u1")
    detail: str
    type: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem details document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class DomainError(Exception):
    """Base of expected errors; each subclass maps to one status and problem type."""

    status: int = 400
    slug: str = "bad-request"
    title: str = "Bad request"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        errors: list[FieldError] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or ([FieldError(field=field, detail=detail)] if field else None)
        self.extra = extra or {}
        self.headers = headers or {}


class InvalidInput(DomainError):
    """The request is well-formed but breaks a rule (422)."""

    status, slug, title = 422, "invalid-input", "Invalid input"


class NotAuthenticated(DomainError):
    """No valid credentials (401)."""

    status, slug, title = 401, "not-authenticated", "Not authenticated"


class NotPermitted(DomainError):
    """The caller may not do this (403)."""

    status, slug, title = 403, "not-permitted", "Not permitted"


class ResourceNotFound(DomainError):
    """The resource does not exist, or the caller may not know it exists (404)."""

    status, slug, title = 404, "not-found", "Not found"


class Conflict(DomainError):
    """The request conflicts with the current state (409)."""

    status, slug, title = 409, "conflict", "Conflict"


class Gone(DomainError):
    """The resource existed and was removed for good, e.g. erased personal data (410)."""

    status, slug, title = 410, "gone", "Gone"


class TooManyRequests(DomainError):
    """Rate limited (429); carries Retry-After."""

    status, slug, title = 429, "too-many-requests", "Too many requests"


class ServiceUnavailable(DomainError):
    """A dependency is down (503)."""

    status, slug, title = 503, "service-unavailable", "Service unavailable"


class PayloadTooLarge(StarletteHTTPException):
    """The request body is over the limit (413; `kinerja_shared.body_limit`).

    An HTTP exception rather than a DomainError because it is raised while FastAPI reads the
    body, which passes HTTP exceptions on and turns any other error into a 400.
    """

    def __init__(self, limit: int, detail: str | None = None) -> None:
        super().__init__(413, detail or f"the request body exceeds the limit of {limit} bytes")
        self.limit = limit


def payload_too_large_response(request: Request, exc: PayloadTooLarge) -> JSONResponse:
    """The 413 problem of a body over the limit, naming the limit (`limit_bytes`)."""
    return problem_response(
        request,
        status=413,
        title="Payload too large",
        slug="payload-too-large",
        detail=str(exc.detail),
        extra={"limit_bytes": exc.limit},
    )


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str | None = None,
    slug: str | None = None,
    errors: list[FieldError] | None = None,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build a problem+json response."""
    body = Problem(
        type=f"{PROBLEM_BASE}{slug}" if slug else "about:blank",
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id_var.get(),
        errors=errors,
    ).model_dump(exclude_none=True)
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem_response(
        request,
        status=exc.status,
        title=exc.title,
        detail=exc.detail,
        slug=exc.slug,
        errors=exc.errors,
        extra=exc.extra,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(
            field=_field_path(tuple(e.get("loc", ()))), detail=str(e.get("msg")), type=e.get("type")
        )
        for e in exc.errors()
    ]
    fields = ", ".join(e.field for e in errors[:5])
    return problem_response(
        request,
        status=422,
        title="Invalid request",
        slug="validation",
        detail=f"{len(errors)} field(s) failed validation: {fields}",
        errors=errors,
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    title = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    return problem_response(
        request,
        status=status,
        title=title,
        detail=str(exc.detail),
        headers=dict(exc.headers) if exc.headers else None,
    )


async def _payload_too_large(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, PayloadTooLarge)
    return payload_too_large_response(request, exc)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return problem_response(
        request,
        status=500,
        title="Internal server error",
        slug="internal",
        detail="An unexpected error occurred; it has been logged with this request id.",
    )


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


#: PostgreSQL gave the transaction up for a concurrent one: deadlock_detected,
#: serialization_failure (SQLSTATE).
_GAVE_WAY_SQLSTATES = frozenset({"40P01", "40001"})
#: SQLite found the database written by another connection past its busy timeout:
#: SQLITE_BUSY, SQLITE_LOCKED (primary result codes; extended ones carry them in the low byte).
_GAVE_WAY_SQLITE_CODES = frozenset({5, 6})


def gave_way(exc: DBAPIError) -> bool:
    """Whether the database refused a transaction only because another ran at the same time:
    nothing was changed and the same request, sent again, can succeed."""
    orig = exc.orig
    sqlite_code = getattr(orig, "sqlite_errorcode", None)
    return getattr(orig, "sqlstate", None) in _GAVE_WAY_SQLSTATES or (
        isinstance(sqlite_code, int) and sqlite_code & 0xFF in _GAVE_WAY_SQLITE_CODES
    )


async def _database(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DBAPIError)
    if not gave_way(exc):
        return await _unexpected(request, exc)
    log.warning(
        "database gave way to a concurrent transaction", extra={"error": type(exc.orig).__name__}
    )
    return problem_response(
        request,
        status=503,
        title="Service unavailable",
        slug="busy",
        detail="the change met another one made at the same time and was not made; send it again",
        headers={"Retry-After": "1"},
    )


class UnhandledErrors:
    """ASGI middleware: an exception no handler took becomes the 500 problem right here,
    inside the request's other middleware.

    Starlette answers such an exception in its outermost layer, after the request id
    middleware has finished (the error line and the problem had no request id, the response
    no X-Request-ID), and raises it on to the server, which closes the kept-alive connection
    under the gateway. Here the answer and its log line name the request and the connection
    stays usable. Once the response has started only the log line can be written; the error is
    raised on for the server to cut the response short.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_noting_start)
        except Exception as exc:
            if started:
                log.exception("unhandled error after the response started", exc_info=exc)
                raise
            response = await _unexpected(Request(scope), exc)
            await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    """Turn every error into application/problem+json.

    Call it before adding other middleware: `UnhandledErrors` must sit inside them (inside
    the request id middleware above all).

    Database refusals are a safety net: use cases check their rules first, but only the
    database sees two concurrent requests creating the same key (IntegrityError, 409) or a
    value a column cannot hold (DataError, 422), and a transaction given up for a concurrent
    one (a PostgreSQL deadlock or serialization failure, SQLite busy: 503 with Retry-After,
    nothing changed); any other database error is the 500 it always was.
    """
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DataError, _data)
    app.add_exception_handler(DBAPIError, _database)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(PayloadTooLarge, _payload_too_large)
    # For an error of the middleware outside UnhandledErrors (it has no request id then).
    app.add_exception_handler(Exception, _unexpected)
    app.add_middleware(UnhandledErrors)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries documenting problem+json errors."""
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {}},
        }
        for status in statuses
    }
