"""Feedback ingestion through the gateway, event lag to reporting, and memory footprint.

    .venv/bin/python bench/ingestion.py [--duration 20] [--connections 64] [--threads 2]
        [--lag-rate 300] [--lag-seconds 30] [--same-address] [--quick]

Runs the real processes (uvicorn, one worker each): feedback, reporting and the gateway on
fresh SQLite databases under var/bench/ and a broker of the benchmark's own (bench/common.py).

1. Ingestion: wrk (bench/wrk/feedback.lua: distinct Idempotency-Key and X-Device-Id per
   request, the development app key) POSTs valid SKM feedback through the gateway at
   --connections connections; baseline in the same run with the same wrk settings: a bare
   FastAPI endpoint validating the same body with the feedback service's own FeedbackCreate.
   After the run the committed feedback rows and outbox rows are counted.
2. Event lag: at a fixed offered rate, paced submissions through the gateway (httpx); a
   poller thread reads the reporting database's feedback_entry table (rowid order) every
   millisecond; lag = first seen - 2xx received.
3. Footprint: VmRSS of each process idle (after start-up) and after the ingestion run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from common import ROOT, broker, gateway_signer, write_result
from system import (
    BIN,
    FEEDBACK_LOAD_ENV,
    GATEWAY_LOAD_ENV,
    Process,
    System,
    feedback_body,
    free_port,
    seed_feedback,
    wait_ready,
)

from kinerja_shared.events.topics import APPRAISAL, FEEDBACK

HERE = Path(__file__).resolve().parent
LUA = HERE / "wrk" / "feedback.lua"
PATH = "/api/v1/feedback/feedback"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def wrk(
    url: str,
    *,
    seconds: int,
    connections: int,
    threads: int,
    env: dict[str, str],
    watch: dict[str, Process] | None = None,
) -> dict[str, Any]:
    """One wrk run; the figures the Lua done() hook printed, and the CPU each watched
    process used during it (seconds of CPU per second of run: 1.0 is one core saturated)."""
    cpu_before = {n: p.cpu() for n, p in (watch or {}).items()}
    out = subprocess.run(
        [
            ensure_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            url + PATH,
        ],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line.removeprefix("BENCH_JSON "))
    ok = sum(v for k, v in data["statuses"].items() if 200 <= int(k) < 300)
    errors = sum(data["errors"].values()) + (sum(data["statuses"].values()) - ok)
    seconds_run = data["duration_us"] / 1e6
    cpu = {
        n: round(((p.cpu() or 0) - (cpu_before[n] or 0)) / seconds_run, 2)
        for n, p in (watch or {}).items()
    }
    return {
        "cpu_cores_used": cpu,
        "requests": data["requests"],
        "requests_per_second": round(data["requests"] / seconds_run, 1),
        "ok_per_second": round(ok / seconds_run, 1),
        "latency_ms": {k: round(v / 1000, 2) for k, v in data["latency_us"].items()},
        "errors": errors,
        "socket_errors": data["errors"],
        "statuses": data["statuses"],
    }


def count(database: Path, sql: str) -> int:
    with sqlite3.connect(database) as conn:
        return int(conn.execute(sql).fetchone()[0])


def wait_until(predicate: Any, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


class Poller(threading.Thread):
    """Reads new feedback_entry rows of the reporting database in rowid order, tightly."""

    def __init__(self, database: Path, interval: float = 0.001) -> None:
        super().__init__(daemon=True)
        self.database, self.interval = database, interval
        self.seen: dict[str, float] = {}
        self.stopping = threading.Event()
        with sqlite3.connect(database) as conn:
            self.last = conn.execute(
                "SELECT coalesce(max(rowid), 0) FROM feedback_entry"
            ).fetchone()[0]

    def run(self) -> None:
        conn = sqlite3.connect(self.database, check_same_thread=False)
        try:
            while not self.stopping.is_set():
                try:
                    rows = conn.execute(
                        "SELECT rowid, feedback_id FROM feedback_entry WHERE rowid > ? "
                        "ORDER BY rowid",
                        (self.last,),
                    ).fetchall()
                except sqlite3.OperationalError:
                    rows = []
                now = time.perf_counter()
                for rowid, feedback_id in rows:
                    self.seen.setdefault(feedback_id, now)
                    self.last = rowid
                time.sleep(self.interval)
        finally:
            conn.close()


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p99": None, "max": None}
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50": round(q[49], 2),
        "p99": round(q[98], 2),
        "max": round(ordered[-1], 2),
        "mean": round(statistics.fmean(ordered), 2),
    }


async def offered_load(
    gateway: str, slugs: list[str], rate: float, seconds: float, spread: bool
) -> tuple[dict[str, float], dict[str, int], float]:
    """Submit at a fixed rate (open loop); feedback id -> perf_counter of its 2xx."""
    done: dict[str, float] = {}
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=gateway, limits=limits, timeout=30) as client:

        async def one(n: int) -> None:
            headers = {
                "X-App-Key": "kinerja-dev-app-key",
                "Idempotency-Key": str(uuid.uuid4()),
                "X-Device-Id": f"lag-{uuid.uuid4().hex}",
            }
            if spread:
                headers["X-Forwarded-For"] = f"10.9.{n // 250 % 250}.{n % 250 + 1}"
            try:
                response = await client.post(
                    PATH, json=feedback_body(slugs[n % len(slugs)], n), headers=headers
                )
            except httpx.HTTPError as exc:
                statuses[type(exc).__name__] = statuses.get(type(exc).__name__, 0) + 1
                return
            now = time.perf_counter()
            statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
            if response.is_success:
                done[response.json()["feedback_id"]] = now

        total = int(rate * seconds)
        tasks = []
        started = time.perf_counter()
        for n in range(total):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(n)))
        _, late = await asyncio.wait(tasks, timeout=seconds + 120)
        for task in late:
            task.cancel()
        statuses["unfinished_after_timeout"] = len(late)
        achieved = total / (time.perf_counter() - started)
    return done, statuses, achieved


def event_lag(
    system: System, gateway: Process, slugs: list[str], rate: float, seconds: float, spread: bool
) -> dict[str, Any]:
    reporting_db = system.database("reporting")
    feedback_db = system.database("feedback")
    total = count(feedback_db, "SELECT count(*) FROM feedback")
    caught_up = wait_until(
        lambda: count(reporting_db, "SELECT count(*) FROM feedback_entry") >= total, 600
    )
    poller = Poller(reporting_db)
    poller.start()
    done, statuses, achieved = asyncio.run(offered_load(gateway.url, slugs, rate, seconds, spread))
    wait_until(lambda: all(f in poller.seen for f in done), 120, step=0.1)
    poller.stopping.set()
    poller.join()
    lags = [(poller.seen[f] - t) * 1000 for f, t in done.items() if f in poller.seen]
    return {
        "offered_rate_per_second": rate,
        "achieved_rate_per_second": round(achieved, 1),
        "seconds": seconds,
        "accepted": len(done),
        "statuses": statuses,
        "seen_in_read_model": len(lags),
        "backlog_caught_up_before_start": caught_up,
        "lag_ms": percentiles(lags),
        "poll_interval_ms": 1,
    }


def footprint(processes: dict[str, Process]) -> dict[str, float | None]:
    return {name: p.rss_mib() for name, p in processes.items()}


def main(args: argparse.Namespace) -> None:
    spread = not args.same_address
    with broker() as bootstrap:
        system = System(bootstrap, extra_env={**FEEDBACK_LOAD_ENV, **GATEWAY_LOAD_ENV})
        try:
            for service in ("feedback", "reporting"):
                system.migrate(service)
            # No appraisal service runs here; reporting reads its topic and waits for it.
            system.create_topics(APPRAISAL, FEEDBACK)
            points = asyncio.run(seed_feedback(system.database("feedback")))
            slugs = [p["slug"] for p in points]
            feedback = system.start("feedback")
            reporting = system.start("reporting")
            gateway = system.start(
                "gateway",
                env={
                    "GATEWAY_FEEDBACK_URL": feedback.url,
                    "GATEWAY_REPORTING_URL": reporting.url,
                    "GATEWAY_APPRAISAL_URL": f"http://127.0.0.1:{free_port()}",
                },
            )
            port = free_port()
            baseline = subprocess.Popen(
                [
                    str(BIN / "uvicorn"),
                    "baseline_app:app",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ],
                cwd=HERE,
                env=system.env(),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            bare = Process("baseline", port, baseline, system.run_dir / "baseline.log")
            system.processes["baseline"] = bare
            wait_ready(bare, "/health")
            time.sleep(2)
            idle = footprint(system.processes)
            before = {n: p.cpu() or 0.0 for n, p in system.processes.items()}
            time.sleep(5)
            idle_cpu = {
                n: round(((p.cpu() or 0.0) - before[n]) / 5, 3) for n, p in system.processes.items()
            }

            from datetime import UTC, datetime

            from kinerja_feedback.domain.wita import wita_date

            env = {
                "BENCH_SLUGS": ",".join(slugs),
                "BENCH_SPREAD_ADDRESSES": "1" if spread else "0",
                "BENCH_VISIT_DATE": wita_date(datetime.now(UTC)).isoformat(),
            }
            settings = {"connections": args.connections, "threads": args.threads, "env": env}
            # Warm both up (imports, connection pools, SQLite caches), then measure.
            wrk(bare.url, seconds=2, **settings)
            base = wrk(bare.url, seconds=args.duration, watch={"baseline": bare}, **settings)
            wrk(gateway.url, seconds=2, **settings)
            rows_before = count(system.database("feedback"), "SELECT count(*) FROM feedback")
            through = wrk(
                gateway.url,
                seconds=args.duration,
                watch={n: p for n, p in system.processes.items() if n != "baseline"},
                **settings,
            )
            after = footprint(system.processes)
            # Diagnostic: the same load straight at the feedback service (no gateway), with one
            # long-lived gateway assertion for the route (every request from one address).
            seconds = max(5, args.duration // 2)
            assertion = gateway_signer(ttl_seconds=seconds + 120).sign(
                service="feedback",
                method="POST",
                target=PATH,
                client_address="127.0.0.1",
                request_id=None,
            )
            direct = wrk(
                feedback.url,
                seconds=seconds,
                watch={"feedback": feedback},
                **{**settings, "env": {**env, "BENCH_GATEWAY_ASSERTION": assertion}},
            )
            db = system.database("feedback")
            stored = count(db, "SELECT count(*) FROM feedback") - rows_before
            ingestion = {
                "tool": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency",
                "connections": args.connections,
                "seconds": args.duration,
                "distinct_client_addresses": spread,
                "gateway_to_feedback": through,
                "baseline_bare_fastapi": base,
                "diagnostic_direct_to_feedback": direct,
                "ratio_to_baseline": round(
                    through["ok_per_second"] / base["requests_per_second"], 3
                ),
                "feedback_rows_committed_during_run": stored,
                "outbox_rows_total": count(db, "SELECT count(*) FROM outbox"),
                "counted_not_held": count(db, "SELECT count(*) FROM feedback WHERE counted = 1"),
            }
            first = write_result("ingestion", ingestion)
            lag = event_lag(system, gateway, slugs, args.lag_rate, args.lag_seconds, spread)
            after_lag = footprint(system.processes)
        finally:
            system.stop()
    mem = {
        "unit": "MiB VmRSS",
        "idle_cpu_cores": idle_cpu,
        "idle": idle,
        "after_ingestion": after,
        "after_event_lag": after_lag,
    }
    paths = [
        first,
        write_result("event_lag", lag),
        write_result("footprint", mem),
    ]
    print_table(ingestion, lag, mem)
    for path in paths:
        print(f"written to {path.relative_to(ROOT)}")
    if not args.keep:
        system.remove()


def print_table(ingestion: dict[str, Any], lag: dict[str, Any], mem: dict[str, Any]) -> None:
    g, b = ingestion["gateway_to_feedback"], ingestion["baseline_bare_fastapi"]
    print(
        f"\n{'ingestion':<28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}"
    )
    d = ingestion["diagnostic_direct_to_feedback"]
    for name, r in (
        ("gateway -> feedback", g),
        ("bare FastAPI baseline", b),
        ("(feedback, no gateway)", d),
    ):
        lat = r["latency_ms"]
        print(
            f"{name:<28}{r['ok_per_second']:>10}{lat['p50']:>10}{lat['p99']:>10}"
            f"{lat['max']:>10}{r['errors']:>8}"
        )
    print(
        f"ratio to baseline: {ingestion['ratio_to_baseline']}; committed rows: "
        f"{ingestion['feedback_rows_committed_during_run']}"
    )
    lm = lag["lag_ms"]
    print(
        f"\nevent lag at {lag['offered_rate_per_second']}/s for {lag['seconds']} s "
        f"(achieved {lag['achieved_rate_per_second']}/s, {lag['accepted']} accepted): "
        f"p50 {lm['p50']} ms, p99 {lm['p99']} ms, max {lm['max']} ms"
    )
    print(f"\n{'RSS MiB':<12}" + "".join(f"{k:>12}" for k in mem["idle"]))
    for phase in ("idle", "after_ingestion", "after_event_lag"):
        print(f"{phase:<12}" + "".join(f"{v!s:>12}" for v in mem[phase].values()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="wrk seconds per target")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lag-rate", type=float, default=300.0)
    parser.add_argument("--lag-seconds", type=float, default=30.0)
    parser.add_argument(
        "--same-address",
        action="store_true",
        help="all submissions from one client address (burst queries grow)",
    )
    parser.add_argument("--quick", action="store_true", help="10 s runs, 10 s of lag")
    parser.add_argument("--keep", action="store_true", help="keep var/bench/<run> afterwards")
    args = parser.parse_args()
    if args.quick:
        args.duration, args.lag_seconds = 10, 10.0
    main(args)
