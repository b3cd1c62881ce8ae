"""cProfile of the reporting service's feedback handlers (the projection), in process.

    .venv/bin/python bench/profile_handlers.py [--events 2000]

Loads the directory, then profiles applying --events feedback.submitted events through the
registered handlers in one transaction per 500 events; prints the top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import subprocess
import time

import events as history
from report_queries import load  # noqa: F401 - same handler driving as the benchmark
from system import BIN, VAR, sqlite_url


async def main(count: int) -> None:
    from kinerja_reporting.consumers import register_handlers
    from kinerja_reporting.main import create_runtime
    from kinerja_reporting.projection import Projection
    from kinerja_reporting.settings import ReportingSettings
    from kinerja_shared.consumer import EventRouter

    database = VAR / f"profile-{os.getpid()}.db"
    url = sqlite_url(database)
    subprocess.run(  # noqa: ASYNC221 - before any load starts
        [str(BIN / "kinerja-reporting"), "migrate"],
        check=True,
        capture_output=True,
        env={**os.environ, "REPORTING_DATABASE_URL": url},
    )
    settings = ReportingSettings(database_url=url, run_consumers=False, run_relay=False)
    runtime = create_runtime(settings)
    router = register_handlers(
        EventRouter(), Projection(settings=settings, outbox=runtime.outbox, publish=False)
    )

    async def apply(payloads: list) -> None:  # type: ignore[type-arg]
        for start in range(0, len(payloads), 500):
            async with runtime.sessions() as session, session.begin():
                for payload in payloads[start : start + 500]:
                    event = payload.to_event(source="/bench")
                    await router.handler_for(event.type)(session, event, payload)

    await apply(history.directory())
    feedback = list(history.feedback(count))
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    await apply(feedback)
    profiler.disable()
    seconds = time.perf_counter() - started
    await runtime.stop()
    database.unlink(missing_ok=True)
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(r"kinerja", 30)
    stats.sort_stats("tottime").print_stats(20)
    print(f"feedback events/s while profiled: {count / seconds:.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    asyncio.run(main(parser.parse_args().events))
