"""Command line of the appraisal service: migrate, seed-demo, import, serve."""

from __future__ import annotations

import asyncio
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from kinerja_appraisal.domain import WITA
from kinerja_appraisal.imports.reading import Bounds, UnreadableFile, read_rows
from kinerja_appraisal.imports.schemas import ImportReport
from kinerja_appraisal.imports.service import import_employees, import_units
from kinerja_appraisal.runtime import create_runtime
from kinerja_appraisal.seed.service import seed_demo
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.serving import serve as serve_app

app = typer.Typer(help="Kinerja appraisal service", no_args_is_help=True)
console = Console()
ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


class ImportKind(StrEnum):
    """What a file holds."""

    UNITS = "units"
    EMPLOYEES = "employees"


@app.command()
def migrate() -> None:
    """Bring the database to the latest migration (alembic upgrade head)."""
    settings = AppraisalSettings()
    upgrade_head(str(ALEMBIC_INI), settings.database_url)
    console.print(f"migrated {settings.database_url.split('@')[-1]}")


@app.command("seed-demo")
def seed_demo_command() -> None:
    """Seed a demo Denpasar organisation and running periods (does nothing if data exists)."""

    async def run() -> dict[str, int]:
        runtime = create_runtime(AppraisalSettings())
        try:
            async with runtime.sessions() as session, session.begin():
                return await seed_demo(
                    session, outbox=runtime.outbox, today=datetime.now(WITA).date()
                )
        finally:
            await runtime.engine.dispose()

    created = asyncio.run(run())
    console.print(f"seeded {created}" if created else "data exists; nothing seeded")


@app.command("import")
def import_file(
    kind: ImportKind,
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
    import_valid: Annotated[
        bool, typer.Option("--import-valid", help="Import the valid rows despite bad ones")
    ] = False,
) -> None:
    """Import units or employees from a CSV or XLSX file, with a progress bar (within the
    service's import bounds: APPRAISAL_MAX_IMPORT_ROWS, _MAX_IMPORT_EXPANDED_BYTES)."""
    settings = AppraisalSettings()
    bounds = Bounds(
        max_rows=settings.max_import_rows, max_expanded_bytes=settings.max_import_expanded_bytes
    )
    try:
        with file.open("rb") as stream:
            rows = read_rows(file.name, stream, bounds)
    except UnreadableFile as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc

    async def run() -> ImportReport:
        runtime = create_runtime(settings)
        importer = import_units if kind is ImportKind.UNITS else import_employees
        try:
            with Progress(console=console) as progress:
                task = progress.add_task(f"importing {kind}", total=len(rows))
                async with runtime.sessions() as session, session.begin():
                    report = await importer(
                        session,
                        outbox=runtime.outbox,
                        actor="cli-import",
                        rows=rows,
                        import_valid=import_valid,
                        now=utcnow(),
                        progress=lambda done: progress.update(task, completed=done),
                    )
                progress.update(task, completed=len(rows))
                return report
        finally:
            await runtime.engine.dispose()

    report = asyncio.run(run())
    for error in report.errors:
        console.print(f"[yellow]line {error.line}[/yellow] {error.field}: {error.reason}")
    if not report.imported:
        console.print(f"[red]{len(report.errors)} problem(s); nothing imported[/red]")
        raise typer.Exit(1)
    console.print(f"created {report.created}, updated {report.updated} of {report.rows} rows")


@app.command()
def serve() -> None:
    """Run the service with uvicorn on the configured host and port."""
    serve_app("kinerja_appraisal.main:app", AppraisalSettings())
