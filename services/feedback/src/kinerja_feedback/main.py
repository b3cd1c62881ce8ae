"""The feedback service's ASGI app (`kinerja_feedback.main:app`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kinerja_feedback.routes import OPEN311_PREFIX, OPEN311_ROUTERS, PREFIX, ROUTERS
from kinerja_feedback.runtime import DemoSeed, create_runtime, create_secrets
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.app import create_service_app


def create_app(settings: FeedbackSettings | None = None) -> FastAPI:
    """Build the feedback service app from settings (environment when None)."""
    settings = settings or FeedbackSettings()
    runtime = create_runtime(settings)
    secrets = create_secrets(settings)
    demo_seed = DemoSeed(settings, secrets)
    app = create_service_app(
        runtime,
        title="Kinerja feedback service",
        description="Citizen feedback (SKM), complaints and Open311 GeoReport v2, Kota Denpasar.",
        routers=ROUTERS,
        prefix=PREFIX,
        on_startup=[demo_seed.start],
    )
    app.state.secrets = secrets
    for router in OPEN311_ROUTERS:
        app.include_router(router, prefix=OPEN311_PREFIX)
    factory_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with factory_lifespan(app):
            try:
                yield
            finally:
                # Stop a demo seed still running, before the runtime closes the database.
                await demo_seed.stop()

    app.router.lifespan_context = lifespan
    return app


app = create_app()
