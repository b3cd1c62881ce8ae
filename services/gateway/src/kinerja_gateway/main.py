"""The gateway app: one secure REST API in front of the appraisal, feedback and reporting
services (`kinerja_gateway.main:app` for uvicorn; `create_app()` for tests)."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from kinerja_gateway import dashboard, health, openapi_endpoints, proxy, token_endpoint
from kinerja_gateway.breaker import Clock
from kinerja_gateway.components import GatewayComponents
from kinerja_gateway.security_headers import SecurityHeadersMiddleware
from kinerja_gateway.settings import GatewaySettings
from kinerja_shared.body_limit import BodyLimitMiddleware
from kinerja_shared.logging import configure_logging
from kinerja_shared.middleware import RequestIdMiddleware
from kinerja_shared.problems import install_problem_handlers

EXPOSED_HEADERS = ["X-Request-ID", "Retry-After", "Location", "ETag"]
ALLOWED_HEADERS = [
    "Authorization",
    "Content-Type",
    "X-App-Key",
    "X-Request-ID",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
]


def create_app(
    settings: GatewaySettings | None = None, *, clock: Clock = time.monotonic
) -> FastAPI:
    """Build the gateway; `clock` drives breakers, rate limits and caches (tests inject one)."""
    settings = settings or GatewaySettings()
    configure_logging(settings.service_name, settings.log_level)
    # One line per upstream call would double the access log; errors still get through.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    components = GatewayComponents(settings, clock=clock)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            await components.aclose()

    app = FastAPI(
        title="Kinerja API",
        version="1.0.0",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.components = components
    app.state.verifier = components.verifier
    app.state.service_documents = openapi_endpoints.ServiceDocuments()
    install_problem_handlers(app)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            max_age=600,
        )
    app.add_middleware(
        BodyLimitMiddleware, limit=settings.max_body_bytes, limits=settings.body_limits
    )
    app.add_middleware(
        SecurityHeadersMiddleware,
        hsts_max_age=settings.hsts_max_age_seconds if settings.behind_tls else None,
        docs_paths=frozenset({openapi_endpoints.DOCS_PATH}),
    )
    app.add_middleware(RequestIdMiddleware)
    app.include_router(health.router)
    app.include_router(token_endpoint.router)
    app.include_router(openapi_endpoints.router)
    app.include_router(dashboard.router)
    # Last: the catch-all that forwards everything else under /api/v1.
    app.include_router(proxy.router)
    return app


app = create_app()
