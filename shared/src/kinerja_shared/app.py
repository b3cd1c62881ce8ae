"""The FastAPI application factory every service uses."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_shared.auth import TokenVerifier
from kinerja_shared.body_limit import BodyLimitMiddleware
from kinerja_shared.db import is_postgres
from kinerja_shared.gateway_assertion import AssertionVerifier
from kinerja_shared.logging import configure_logging
from kinerja_shared.middleware import (
    PROBE_PATHS,
    GatewayAssertionMiddleware,
    RefuseNul,
    RequestIdMiddleware,
)
from kinerja_shared.problem_docs import (
    BODY_PROBLEMS,
    SERVICE_PROBLEMS,
    WRITE_PROBLEMS,
    declare_problems,
)
from kinerja_shared.problems import install_problem_handlers
from kinerja_shared.readiness import readiness_response, shows_details
from kinerja_shared.runtime import ServiceRuntime


def create_service_app(
    runtime: ServiceRuntime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter] = (),
    prefix: str = "",
    on_startup: Sequence[Callable[[ServiceRuntime], Awaitable[None]]] = (),
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """Build a service app: lifespan (runtime start/stop), problem+json, request ids, health,
    a request body limit (`max_body_bytes`; `body_limits` gives path prefixes limits of their
    own), and only requests the gateway sent (a gateway assertion; the probes answer anyone)."""
    settings = runtime.settings
    configure_logging(settings.service_name, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for hook in on_startup:
            await hook(runtime)
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(
        title=title,
        description=description,
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=f"{prefix}/openapi.json",
        docs_url=f"{prefix}/docs",
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.verifier = TokenVerifier(settings.auth)
    install_problem_handlers(app)
    # Innermost first: request ids and NUL checks apply to refused requests too.
    app.add_middleware(
        GatewayAssertionMiddleware,
        verifier=AssertionVerifier(
            settings.gateway_assertion.public_keys,
            service=settings.service_name,
            leeway_seconds=settings.gateway_assertion.leeway_seconds,
        ),
    )
    app.add_middleware(RefuseNul)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes, limits=body_limits)
    app.add_middleware(RequestIdMiddleware)

    @app.get("/health", tags=["health"], summary="Liveness: the process answers")
    async def health() -> dict[str, str]:
        return {"status": "up", "service": settings.service_name}

    @app.get("/health/ready", tags=["health"], summary="Readiness: database and Kafka")
    async def ready(request: Request) -> JSONResponse:
        """Up or down; which check failed and why only for an operator's bearer token."""
        ok, checks = await runtime.readiness()
        details = None
        if shows_details(request, app.state.verifier, settings.health_detail_roles):
            details = {"service": settings.service_name, "checks": checks}
        return readiness_response(ok, details)

    for router in routers:
        app.include_router(router, prefix=prefix)
    _declare_problems_in_openapi(app)
    return app


def _declare_problems_in_openapi(app: FastAPI) -> None:
    """The app's OpenAPI document declares the problems every route can answer with."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_problems(
                build(),
                every=SERVICE_PROBLEMS,
                with_body=BODY_PROBLEMS,
                writes=WRITE_PROBLEMS,
                skip_paths=PROBE_PATHS,
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


async def get_runtime(request: Request) -> ServiceRuntime:
    """The runtime of the app serving this request (async: no worker-thread hand-off)."""
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


async def db_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed before the response is sent, rolled back on error."""
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.sessions() as session, session.begin():
        yield session


async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for requests that only read: no write transaction is begun or committed.

    On PostgreSQL the connection runs in autocommit, which spares the BEGIN and COMMIT round
    trips (each statement reads the latest committed data, as under READ COMMITTED anyway).
    On SQLite changing the isolation level costs more driver calls than it saves, so the
    session is simply closed (a rollback of nothing) instead of committed. Handlers that
    write must use ``SessionDep``.
    """
    runtime: ServiceRuntime = request.app.state.runtime
    async with runtime.sessions() as session:
        if is_postgres(runtime.engine):
            await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        yield session


Runtime = Annotated[ServiceRuntime, Depends(get_runtime)]
SessionDep = Annotated[AsyncSession, Depends(db_session, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(read_session, scope="function")]
