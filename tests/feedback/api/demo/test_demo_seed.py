"""The demo seed makes service points and submissions through the service functions."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import func, select

from kinerja_feedback.demo.seed import seed_demo
from kinerja_feedback.models import Feedback, ServicePoint, metadata
from support.database import empty_tables


async def test_seed_demo_creates_points_and_submissions_with_their_events(
    client: AsyncClient,
) -> None:
    app = client.app  # type: ignore[attr-defined]
    settings = app.state.settings.model_copy(update={"seed_demo_submissions_per_point": 20})
    made = await seed_demo(app.state.runtime, settings, app.state.secrets)
    assert made == 40
    async with app.state.runtime.sessions() as session:
        points = await session.scalar(select(func.count()).select_from(ServicePoint))
        rows = await session.scalar(select(func.count()).select_from(Feedback))
        outbox = await session.scalar(select(func.count()).select_from(metadata.tables["outbox"]))
    assert points == 2
    assert rows == 40
    assert outbox >= 42
    again = await seed_demo(app.state.runtime, settings, app.state.secrets)
    assert again == 0  # every unit has its point: nothing new
    async with app.state.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Feedback)) == 40


async def test_seed_demo_gives_up_without_units(client: AsyncClient, feedback_db: str) -> None:
    await empty_tables(feedback_db, metadata)
    app = client.app  # type: ignore[attr-defined]
    settings = app.state.settings.model_copy(update={"seed_demo_wait_seconds": 0})
    assert await seed_demo(app.state.runtime, settings, app.state.secrets) == 0
