"""Command line of the reporting service."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.serving import serve as serve_app

app = typer.Typer(help="Kinerja reporting service", no_args_is_help=True)

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


@app.command()
def migrate() -> None:
    """Bring the database to the latest migration (alembic upgrade head)."""
    from kinerja_shared.alembic_env import upgrade_head

    upgrade_head(str(ALEMBIC_INI), ReportingSettings().database_url)
    typer.echo("reporting database migrated")


@app.command()
def rebuild() -> None:
    """Drop the read models and replay kinerja.appraisal and kinerja.feedback from the start."""
    from kinerja_reporting.rebuild.schemas import RebuildProgress
    from kinerja_reporting.rebuild.service import rebuild as run_rebuild
    from kinerja_reporting.runtime import create_runtime

    async def main() -> RebuildProgress:
        settings = ReportingSettings(run_consumers=False, run_relay=False)
        runtime = create_runtime(settings)
        try:
            return await run_rebuild(
                runtime,
                RebuildProgress(),
                report=lambda p: typer.echo(
                    f"{p.events_replayed}/{p.events_total} events, {p.seconds:.1f} s", err=True
                ),
            )
        finally:
            await runtime.stop()

    result = asyncio.run(main())
    typer.echo(
        f"rebuild {result.state}: {result.events_replayed} events "
        f"({result.events_failed} failed) in {result.seconds:.2f} s, "
        f"{result.events_per_second} events/s"
    )
    if result.state != "done":
        raise typer.Exit(1)


@app.command("seed-demo")
def seed_demo() -> None:
    """Reporting owns no data: demo reports come from the demo events of the other services."""
    typer.echo(
        "The reporting service owns no source data. Seed the appraisal and feedback services "
        "(kinerja-appraisal seed-demo, kinerja-feedback seed-demo); their events build the "
        "reports. `kinerja-reporting rebuild` replays everything already on the topics."
    )


@app.command()
def serve() -> None:
    """Run the HTTP service (uvicorn) on the configured host and port."""
    serve_app("kinerja_reporting.main:app", ReportingSettings())
