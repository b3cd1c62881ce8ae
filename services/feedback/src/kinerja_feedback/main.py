"""The feedback service's ASGI app (`kinerja_feedback.main:app`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kinerja_feedback.complaints.endpoints import router as complaints_router
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.erasure.endpoints import router as erasure_router
from kinerja_feedback.follow_up.endpoints import router as follow_up_router
from kinerja_feedback.moderation.endpoints import router as moderation_router
from kinerja_feedback.open311.endpoints import router as open311_router
from kinerja_feedback.runtime import build_runtime
from kinerja_feedback.service_points.endpoints import router as service_points_router
from kinerja_feedback.service_users.endpoints import router as service_users_router
from kinerja_feedback.settings import FeedbackSettings
from kinerja_feedback.submissions.endpoints import router as submissions_router
from kinerja_feedback.survey.endpoints import router as survey_router
from kinerja_feedback.tracking.endpoints import router as tracking_router
from kinerja_shared.app import create_service_app
from kinerja_shared.runtime import ServiceRuntime

PREFIX = "/api/v1/feedback"
OPEN311_PREFIX = "/api/v1/open311"

log = logging.getLogger(__name__)


def create_app(settings: FeedbackSettings | None = None) -> FastAPI:
    """Build the feedback service app from settings (environment when None)."""
    settings = settings or FeedbackSettings()
    runtime = build_runtime(settings)
    secrets = Secrets(settings)
    background: set[asyncio.Task[int]] = set()

    async def seed_in_background(runtime: ServiceRuntime) -> None:
        if not settings.seed_demo:
            return
        from kinerja_feedback.demo.seed import seed_demo

        task = asyncio.create_task(
            seed_demo(runtime, settings, secrets, follow_seconds=None), name="seed-demo"
        )
        background.add(task)
        task.add_done_callback(background.discard)

    app = create_service_app(
        runtime,
        title="Kinerja feedback service",
        description="Citizen feedback (SKM), complaints and Open311 GeoReport v2, Kota Denpasar.",
        routers=[
            survey_router,
            service_points_router,
            submissions_router,
            tracking_router,
            moderation_router,
            complaints_router,
            service_users_router,
            erasure_router,
            follow_up_router,
        ],
        prefix=PREFIX,
        on_startup=[seed_in_background],
    )
    app.state.secrets = secrets
    app.include_router(open311_router, prefix=OPEN311_PREFIX)
    factory_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with factory_lifespan(app):
            try:
                yield
            finally:
                # Stop a demo seed still running, before the runtime closes the database.
                for task in list(background):
                    task.cancel()
                for task in list(background):
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await task

    app.router.lifespan_context = lifespan
    return app


app = create_app()
