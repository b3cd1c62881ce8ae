"""Command line of the feedback service."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.serving import serve as serve_app

if TYPE_CHECKING:
    from kinerja_feedback.key_rotation.service import Reencryption

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
    follow: float = typer.Option(30.0, help="Seconds to keep seeding units that arrive later"),
    per_point: int = typer.Option(15, help="Demo submissions for each service point"),
) -> None:
    """Consume the directory until units arrive, then give each unit of a served kind a
    service point with demo submissions, also those arriving within --follow seconds."""
    from kinerja_feedback.crypto import Secrets
    from kinerja_feedback.demo.seed import seed_demo as run_seed
    from kinerja_feedback.runtime import create_runtime

    settings = FeedbackSettings(
        seed_demo_wait_seconds=wait, seed_demo_submissions_per_point=per_point
    )

    async def main() -> int:
        runtime = create_runtime(settings)
        await runtime.start()
        try:
            made = await run_seed(runtime, settings, Secrets(settings), follow_seconds=follow)
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
def reencrypt(
    batch_size: int = typer.Option(500, min=1, help="Submissions per transaction"),
) -> None:
    """Encrypt every stored contact, original comment and tracking code again with the first
    key of FEEDBACK_CONTACT_KEYS (list the new key first, run this, then drop the old keys).
    Exits with 1, naming the submissions, when a value no listed key reads is left."""
    from kinerja_feedback.crypto import Secrets
    from kinerja_feedback.key_rotation.service import reencrypt_stored_values
    from kinerja_shared.db import create_engine, session_factory

    settings = FeedbackSettings()

    async def main() -> Reencryption:
        engine = create_engine(settings.database_url)
        try:
            return await reencrypt_stored_values(
                session_factory(engine), Secrets(settings), batch_size=batch_size
            )
        finally:
            await engine.dispose()

    report = asyncio.run(main())
    typer.echo(
        f"{report.values} values in {report.submissions} submission(s) re-encrypted with the "
        "current key"
    )
    if report.unreadable:
        typer.echo(
            f"{sum(report.unreadable.values())} values in {len(report.unreadable)} "
            "submission(s) that no key of FEEDBACK_CONTACT_KEYS reads, left as they are: "
            + ", ".join(sorted(report.unreadable)),
            err=True,
        )
        raise typer.Exit(code=1)


holidays_app = typer.Typer(
    help="The holiday calendar of the complaint deadlines", no_args_is_help=True
)
app.add_typer(holidays_app, name="holidays")


@holidays_app.command("load")
def load_holidays(
    file: Path = typer.Argument(..., help="A holiday list: CSV as in holidays/data/"),
) -> None:
    """Load a region's holidays of one year (e.g. next year's SKB list or the Governor of
    Bali's circular), replacing what was loaded for that region and year. Checks the file
    first (every date in its year, a kind and name on each row, no date twice); loading the
    same file again changes nothing."""
    from datetime import UTC, datetime

    from kinerja_feedback.domain.holiday_list import HolidayListError
    from kinerja_feedback.holidays.files import read_holiday_file
    from kinerja_feedback.holidays.service import Loaded, load_list
    from kinerja_shared.db import create_engine, session_factory

    try:
        holiday_list = read_holiday_file(file)
    except HolidayListError as exc:
        typer.echo(f"{file}: {exc}; nothing was loaded", err=True)
        raise typer.Exit(code=2) from None
    settings = FeedbackSettings()

    async def main() -> Loaded:
        engine = create_engine(settings.database_url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await load_list(session, holiday_list, now=datetime.now(UTC))
        finally:
            await engine.dispose()

    loaded = asyncio.run(main())
    unconfirmed = sum(not h.confirmed for h in holiday_list.holidays)
    typer.echo(
        f"{loaded.region} {loaded.year}: {loaded.days} holidays loaded "
        f"({loaded.replaced} replaced; {unconfirmed} not confirmed)"
    )


@app.command()
def serve() -> None:
    """Run the service with uvicorn on the configured host and port."""
    serve_app("kinerja_feedback.main:app", FeedbackSettings())
