"""cProfile of the feedback service's submission path, in process (no HTTP server, no gateway).

    .venv/bin/python bench/profile_ingestion.py [--requests 500] [--concurrency 16]

Uses the real app (create_app) on a fresh SQLite database with a broker of its own, drives
POST /api/v1/feedback/feedback through httpx's ASGITransport and prints the top functions by
cumulative time. Used to find where ingestion time goes (docs/performance.md).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import time
import uuid

import httpx
from common import broker, gateway_auth
from system import FEEDBACK_LOAD_ENV, System, feedback_body, seed_feedback

from kinerja_shared.gateway_assertion import CLIENT_ADDRESS_EXTENSION


async def drive(requests: int, concurrency: int, slugs: list[str]) -> float:
    from kinerja_feedback.main import create_app

    app = create_app()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://feedback", auth=gateway_auth("feedback")
        ) as client:

            async def one(n: int) -> None:
                r = await client.post(
                    "/api/v1/feedback/feedback",
                    json=feedback_body(slugs[n % len(slugs)], n),
                    headers={
                        "Idempotency-Key": str(uuid.uuid4()),
                        "X-Device-Id": uuid.uuid4().hex,
                    },
                    # The address the gateway's assertion names, one per simulated citizen.
                    extensions={CLIENT_ADDRESS_EXTENSION: f"10.0.{n // 250 % 250}.{n % 250 + 1}"},
                )
                assert r.status_code == 201, r.text

            await asyncio.gather(*(one(n) for n in range(20)))  # warm-up
            sem = asyncio.Semaphore(concurrency)

            async def limited(n: int) -> None:
                async with sem:
                    await one(n)

            profiler = cProfile.Profile()
            sampler = Sampler()
            started = time.perf_counter()
            if SAMPLE:
                sampler.thread.start()
            else:
                profiler.enable()
            await asyncio.gather(*(limited(n) for n in range(requests)))
            if SAMPLE:
                sampler.stop.set()
                sampler.report()
                return requests / (time.perf_counter() - started)
            profiler.disable()
            seconds = time.perf_counter() - started
    stats = pstats.Stats(profiler)
    by_package: dict[str, list[float]] = {}
    for (filename, _line, _name), (_cc, calls, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        parts = filename.split("site-packages/")
        package = (
            parts[1].split("/")[0]
            if len(parts) > 1
            else "kinerja:" + filename.split("/src/")[-1].split("/")[0]
            if "/src/" in filename
            else filename.rsplit("/", 1)[-1]
            if filename.startswith("/")
            else filename
        )
        entry = by_package.setdefault(package, [0.0, 0])
        entry[0] += tottime
        entry[1] += calls
    print("own time by package (s, calls):")
    for package, (tottime, calls) in sorted(by_package.items(), key=lambda kv: -kv[1][0])[:25]:
        print(f"  {tottime:8.3f} {calls:9d}  {package}")
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(int(os.environ.get("PROFILE_TOP", "25")))
    return requests / seconds


def serialise_sqlite_writers() -> None:
    """Experiment: one SQLite connection per process (pool_size=1), so transactions queue in
    asyncio instead of sleeping in SQLite's busy handler. Patches kinerja_shared.db only in
    this benchmark process; the proposed change is in docs/performance.md."""
    import kinerja_shared.db as db

    original = db.create_async_engine

    def single(url, **kwargs):  # type: ignore[no-untyped-def]
        if str(url).startswith("sqlite"):
            kwargs.update(pool_size=1, max_overflow=0)
        return original(url, **kwargs)

    db.create_async_engine = single


STATEMENTS: dict[str, list[float]] = {}


class Sampler:
    """A poor man's wall-clock sampler: every thread's innermost frames every millisecond
    (cProfile misses time spent waiting in aiosqlite's threads and in SQLite itself)."""

    def __init__(self) -> None:
        import collections
        import threading

        self.counts: collections.Counter[str] = collections.Counter()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import sys
        import threading

        me = threading.get_ident()
        while not self.stop.is_set():
            for ident, frame in sys._current_frames().items():
                if ident == me:
                    continue
                names = []
                f = frame
                while f is not None and len(names) < 14:
                    names.append(
                        f"{f.f_code.co_filename.split('/')[-1]}:{f.f_code.co_name}:{f.f_lineno}"
                    )
                    f = f.f_back
                self.counts[" < ".join(names)] += 1
            time.sleep(0.001)

    def report(self) -> None:
        total = sum(self.counts.values())
        print(f"samples: {total}")
        for stack, n in self.counts.most_common(25):
            print(f"{n:6d}  {stack}")


def time_statements() -> None:
    """Wall time of each SQL statement as the driver runs it (summed by statement text)."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    @event.listens_for(Engine, "before_cursor_execute")
    def _before(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        conn.info.setdefault("started", []).append(time.perf_counter())

    @event.listens_for(Engine, "after_cursor_execute")
    def _after(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        took = time.perf_counter() - conn.info["started"].pop()
        STATEMENTS.setdefault(" ".join(statement.split())[:110], []).append(took)


def print_statements() -> None:
    rows = sorted(STATEMENTS.items(), key=lambda kv: -sum(kv[1]))[:15]
    print(f"{'total s':>8} {'calls':>6} {'mean ms':>8}  statement")
    for text, took in rows:
        print(f"{sum(took):8.3f} {len(took):6d} {sum(took) / len(took) * 1000:8.2f}  {text}")


SAMPLE = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--single-connection",
        action="store_true",
        help="experiment: one SQLite connection (see serialise_sqlite_writers)",
    )
    parser.add_argument(
        "--sample",
        action="store_true",
        help="wall-clock stack sampling of every thread instead of cProfile",
    )
    args = parser.parse_args()
    global SAMPLE
    SAMPLE = args.sample
    if args.single_connection:
        serialise_sqlite_writers()
    with broker() as bootstrap:
        system = System(bootstrap, extra_env=FEEDBACK_LOAD_ENV)
        system.migrate("feedback")
        points = asyncio.run(seed_feedback(system.database("feedback")))
        os.environ.update(system.env("feedback"))
        time_statements()
        rate = asyncio.run(drive(args.requests, args.concurrency, [p["slug"] for p in points]))
        print_statements()
        print(f"in-process submissions/s (profiled): {rate:.1f}")
        system.remove()


if __name__ == "__main__":
    main()
