"""Startup seeding (FEEDBACK_SEED_DEMO) and the migrate command."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from feedback.fixtures import NOW, OTHER_UNIT, UNIT, seed_directory
from sqlalchemy import func, select
from typer.testing import CliRunner

from kinerja_feedback.cli import app as cli
from kinerja_feedback.directory import service as directory
from kinerja_feedback.models import Feedback, ServicePoint, metadata
from kinerja_shared.events.types.appraisal import UnitUpserted
from support.common import eventually
from support.database import empty_tables


async def test_the_app_seeds_demo_data_in_the_background_when_asked(
    feedback_db: str, app_factory
) -> None:
    await empty_tables(feedback_db, metadata)
    app = app_factory(seed_demo=True, seed_demo_submissions_per_point=5, seed_demo_wait_seconds=5)
    await seed_directory(app)

    async def seeded() -> bool:
        async with app.state.runtime.sessions() as session:
            return await session.scalar(select(func.count()).select_from(Feedback)) == 10

    async with app.router.lifespan_context(app):
        await eventually(seeded, timeout=20, message="demo data was not seeded at startup")


def test_migrate_brings_a_fresh_database_to_head(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("FEEDBACK_DATABASE_URL", url)
    result = CliRunner().invoke(cli, ["migrate"])
    assert result.exit_code == 0, result.output
    assert "migrated" in result.output
    assert (tmp_path / "fresh.db").stat().st_size > 0


async def test_the_background_seed_gives_a_point_to_a_unit_that_arrives_after_it_began(
    feedback_db: str, app_factory
) -> None:
    await empty_tables(feedback_db, metadata)
    app = app_factory(seed_demo=True, seed_demo_wait_seconds=5, seed_demo_submissions_per_point=1)
    await seed_directory(app)

    async def seeded_three() -> bool:
        async with app.state.runtime.sessions() as session:
            return await session.scalar(select(func.count()).select_from(Feedback)) == 3

    def units_with_points(*wanted: str) -> Callable[[], Awaitable[bool]]:
        async def check() -> bool:
            async with app.state.runtime.sessions() as session:
                return set(wanted) <= set(await session.scalars(select(ServicePoint.unit_id)))

        return check

    async with app.router.lifespan_context(app):
        await eventually(units_with_points(UNIT, OTHER_UNIT), timeout=20, message="no points")
        async with app.state.runtime.sessions() as session, session.begin():
            await directory.upsert_unit(
                session,
                UnitUpserted(
                    unit_id="unit-pemecutan",
                    code="KEL-PEMECUTAN",
                    name="Kelurahan Pemecutan",
                    kind="kelurahan",
                ),
                now=NOW,
            )
        await eventually(
            units_with_points("unit-pemecutan"),
            timeout=20,
            message="the unit that arrived after the seed began got no service point",
        )
        # Stopped between rounds, not in the middle of a write.
        await eventually(seeded_three, timeout=20, message="its submission was not made")
