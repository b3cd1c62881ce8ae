"""Command line of the feedback service."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.serving import serve as serve_app

app = typer.Typer(help="Kinerja feedback service", no_args_is_help=True)

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


@app.command()
def migrate() -> None:
    """Bring the database to the latest migration (alembic upgrade head)."""
    upgrade_head(str(ALEMBIC_INI), FeedbackSettings().database_url)
    typer.echo("feedback database migrated")


@app.command("seed-demo")
def seed_demo(
    wait: float = typer.Option(120.0, help="Seconds to wait for units from the appraisal service"),
    submissions: int = typer.Option(300, help="Demo submissions to make"),
) -> None:
    """Consume the directory until units arrive, then create service points and submissions."""
    from kinerja_feedback.crypto import Secrets
    from kinerja_feedback.demo.seed import seed_demo as run_seed
    from kinerja_feedback.runtime import build_runtime

    settings = FeedbackSettings(seed_demo_wait_seconds=wait, seed_demo_submissions=submissions)

    async def main() -> int:
        runtime = build_runtime(settings)
        await runtime.start()
        try:
            made = await run_seed(runtime, settings, Secrets(settings))
            # Give the relay a moment to publish what was written.
            for _ in range(100):
                if runtime.relay.stats.published >= made:
                    break
                await asyncio.sleep(0.1)
            return made
        finally:
            await runtime.stop()

    typer.echo(f"demo submissions made: {asyncio.run(main())}")


@app.command()
def serve() -> None:
    """Run the service with uvicorn on the configured host and port."""
    serve_app("kinerja_feedback.main:app", FeedbackSettings())
