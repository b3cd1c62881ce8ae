"""Feedback ingestion through the gateway, event lag to reporting, and memory footprint.

    .venv/bin/python bench/ingestion.py [--duration 20] [--connections 64] [--threads 2]
        [--lag-rate 300] [--lag-seconds 30] [--same-address] [--quick]
        [--postgres [SERVER_URL]] [--workers N] [--gateway-workers N]

Runs the real processes (uvicorn, one worker each unless --workers): feedback, reporting and
the gateway on fresh SQLite databases under var/bench/ (or, with --postgres, fresh PostgreSQL
databases of the run's own, dropped afterwards) and a broker of the benchmark's own
(bench/common.py). Results: ingestion, event_lag, footprint (with --postgres:
ingestion_postgres, event_lag_postgres, footprint_postgres).

1. Ingestion: wrk (bench/wrk/feedback.lua: distinct Idempotency-Key and X-Device-Id per
   request, the development app key) POSTs valid SKM feedback through the gateway at
   --connections connections; baseline in the same run with the same wrk settings: a bare
   FastAPI endpoint validating the same body with the feedback service's own FeedbackCreate.
   After the run the committed feedback rows and outbox rows are counted.
2. Event lag: vegeta (a compiled open-loop generator, `make bench-tools`) offers --lag-rate
   submissions/s through the gateway, each request made as the wrk script makes it. Lag of
   each accepted submission = when reporting's projection applied it (feedback_entry.
   applied_at) - when the feedback service accepted it (feedback.submitted_at), both read
   from the databases after the run. The achieved rate is reported next to the offered one;
   below 95 % the run says the generator fell behind (its lag is not the offered rate's).
3. Footprint: VmRSS of all five services idle (appraisal and webhooks are started for it,
   then stopped before the load) and of the loaded ones after each run.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import resource
import shutil
import statistics
import subprocess
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import ROOT, broker, gateway_signer, write_result
from system import (
    FEEDBACK_LOAD_ENV,
    GATEWAY_LOAD_ENV,
    Process,
    System,
    feedback_body,
    free_port,
    local_postgres,
    seed_feedback,
    server_command,
    wait_ready,
)

from kinerja_shared.events.topics import SERVICE_TOPICS

HERE = Path(__file__).resolve().parent
TOOLS = ROOT / ".cache" / "tools"
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


def wait_until(predicate: Any, timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


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


def ensure_vegeta() -> str:
    """vegeta: BENCH_VEGETA (the Makefile's pinned copy), else one on PATH or in .cache/tools."""
    found = os.environ.get("BENCH_VEGETA") or shutil.which("vegeta")
    if not found:
        found = next((str(p) for p in sorted(TOOLS.glob("vegeta-*/vegeta"))), None)
    if not found:
        raise SystemExit("vegeta is needed: `make bench-tools` installs it into .cache/tools")
    return found


def vegeta_targets(
    path: Path, url: str, slugs: list[str], count: int, spread: bool, visit_date: str
) -> None:
    """One JSON target per line (vegeta -format=json), each request as bench/wrk/feedback.lua
    makes it: a valid SKM body, a distinct Idempotency-Key and X-Device-Id, the app key and,
    with `spread`, a distinct X-Forwarded-For."""
    with path.open("w") as out:
        for n in range(count):
            body = feedback_body(slugs[n % len(slugs)], n)
            body["visit_date"] = visit_date
            header = {
                "Content-Type": ["application/json"],
                "X-App-Key": ["kinerja-dev-app-key"],
                "Idempotency-Key": [str(uuid.uuid4())],
                "X-Device-Id": [f"lag-{uuid.uuid4().hex}"],
            }
            if spread:
                header["X-Forwarded-For"] = [f"10.9.{n // 250 % 250}.{n % 250 + 1}"]
            target = {
                "method": "POST",
                "url": url + PATH,
                "header": header,
                "body": base64.b64encode(json.dumps(body).encode()).decode(),
            }
            out.write(json.dumps(target) + "\n")


def vegeta_attack(
    run_dir: Path,
    url: str,
    slugs: list[str],
    rate: float,
    seconds: float,
    spread: bool,
    watch: dict[str, Process],
) -> dict[str, Any]:
    """An open-loop attack at a constant offered rate (vegeta spawns workers as responses
    slow down, so the rate does not bend to the system). Returns vegeta's report, the
    feedback id of every 2xx, and the CPU each watched process used during the attack."""
    from kinerja_feedback.domain.wita import wita_date

    vegeta = ensure_vegeta()
    targets, results = run_dir / "lag-targets.jsonl", run_dir / "lag-results.bin"
    # A margin of targets, so the duration ends the attack, never the end of the targets.
    count = int(rate * seconds * 1.1) + 10
    vegeta_targets(targets, url, slugs, count, spread, wita_date(datetime.now(UTC)).isoformat())
    cpu_before = {n: p.cpu() or 0.0 for n, p in watch.items()}
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [
            vegeta,
            "attack",
            f"-rate={rate:g}/s",
            f"-duration={seconds:g}s",
            "-lazy",
            "-format=json",
            f"-targets={targets}",
            "-timeout=30s",
            f"-output={results}",
        ],
        check=True,
    )
    elapsed = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {n: round(((p.cpu() or 0.0) - cpu_before[n]) / elapsed, 2) for n, p in watch.items()}
    cpu["vegeta"] = round(
        (
            children.ru_utime
            + children.ru_stime
            - children_before.ru_utime
            - children_before.ru_stime
        )
        / elapsed,
        2,
    )
    report = json.loads(
        subprocess.run(
            [vegeta, "report", "-type=json", str(results)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    encoded = subprocess.run(
        [vegeta, "encode", "-to=json", str(results)], capture_output=True, text=True, check=True
    ).stdout
    accepted: list[str] = []
    for line in encoded.splitlines():
        result = json.loads(line)
        if 200 <= result["code"] < 300:
            accepted.append(json.loads(base64.b64decode(result["body"]))["feedback_id"])
    return {"report": report, "accepted": accepted, "cpu_cores_used": cpu}


def utc(value: datetime | str) -> datetime:
    """A timestamp as the database returned it (SQLite: text without a zone) made aware."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def has_applied_at(system: System) -> bool:
    try:
        system.query("reporting", "SELECT applied_at FROM feedback_entry LIMIT 1")
    except Exception:  # sqlite3 and asyncpg each raise their own undefined-column error
        return False
    return True


def event_lag(
    system: System,
    gateway: Process,
    slugs: list[str],
    rate: float,
    seconds: float,
    spread: bool,
    apply_timeout: float = 120.0,
) -> dict[str, Any]:
    """Offered `rate` submissions/s for `seconds` through the gateway (vegeta, open loop);
    lag of each accepted submission = reporting's feedback_entry.applied_at (when the
    projection applied its scores) - feedback.submitted_at (when the feedback service
    accepted it), both stored by the services, read after the run."""
    total = system.count("feedback", "SELECT count(*) FROM feedback")
    caught_up = wait_until(
        lambda: system.count("reporting", "SELECT count(*) FROM feedback_entry") >= total, 600
    )
    watch = {n: p for n, p in system.processes.items() if n != "baseline"}
    attack = vegeta_attack(system.run_dir, gateway.url, slugs, rate, seconds, spread, watch)
    report, accepted = attack["report"], attack["accepted"]
    achieved = report["rate"]
    behind = achieved < 0.95 * rate
    figures: dict[str, Any] = {
        "tool": f"vegeta attack -rate={rate:g}/s -duration={seconds:g}s -lazy -format=json",
        "offered_rate_per_second": rate,
        "achieved_rate_per_second": round(achieved, 1),
        "completed_per_second": round(report["throughput"], 1),
        "generator_fell_behind": behind,
        "seconds": seconds,
        "requests": report["requests"],
        "statuses": report["status_codes"],
        "errors": report["errors"],
        "response_latency_ms": {
            k: round(report["latencies"][v] / 1e6, 2)
            for k, v in (("p50", "50th"), ("p99", "99th"), ("max", "max"), ("mean", "mean"))
        },
        "cpu_cores_used": attack["cpu_cores_used"],
        "accepted": len(accepted),
        "backlog_caught_up_before_start": caught_up,
        "lag_from": "feedback.submitted_at (accepted by the feedback service)",
        "lag_to": "reporting feedback_entry.applied_at (scores applied by the projection)",
    }
    if not has_applied_at(system):
        figures["lag_ms"] = percentiles([])
        figures["lag_not_measured"] = (
            "reporting's feedback_entry has no applied_at column: this build does not record "
            "when the projection applied a submission"
        )
        return figures
    wanted = set(accepted)

    def applied() -> dict[str, Any]:
        rows = system.query(
            "reporting",
            "SELECT feedback_id, applied_at FROM feedback_entry WHERE applied_at IS NOT NULL",
        )
        return {f: a for f, a in rows if f in wanted}

    done: dict[str, Any] = {}

    def all_applied() -> bool:
        done.update(applied())
        return len(done) == len(wanted)

    wait_until(all_applied, apply_timeout, step=0.5)
    submitted = dict(system.query("feedback", "SELECT id, submitted_at FROM feedback"))
    lags = [
        (utc(done[f]) - utc(submitted[f])).total_seconds() * 1000
        for f in wanted
        if f in done and f in submitted
    ]
    never = sorted(wanted - done.keys())
    figures.update(
        applied=len(lags),
        never_applied_within_seconds=apply_timeout,
        never_applied=len(never),
        never_applied_examples=never[:5],
        lag_ms=percentiles(lags),
    )
    return figures


def footprint(processes: dict[str, Process]) -> dict[str, float | None]:
    """VmRSS of each service: its largest process (a worker, with several workers)."""
    return {name: p.rss_mib() for name, p in processes.items()}


def start_baseline(system: System, workers: int) -> Process:
    """The bare FastAPI endpoint (bench/baseline_app.py), served like the services."""
    port = free_port()
    popen = subprocess.Popen(
        server_command("baseline_app:app", port, app_dir=HERE, workers=workers),
        cwd=HERE,
        env=system.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    bare = Process("baseline", port, popen, system.run_dir / "baseline.log")
    system.processes["baseline"] = bare
    wait_ready(bare, "/health")
    return bare


def main(args: argparse.Namespace) -> None:
    spread = not args.same_address
    postgres = (local_postgres() if args.postgres == "local" else args.postgres) or None
    layout = {
        "database": "postgresql" if postgres else "sqlite",
        "feedback_workers": args.workers,
        "gateway_workers": args.gateway_workers,
        "baseline_workers": args.workers,
    }
    suffix = "_postgres" if postgres else ""
    with broker() as bootstrap:
        system = System(
            bootstrap, extra_env={**FEEDBACK_LOAD_ENV, **GATEWAY_LOAD_ENV}, postgres=postgres
        )
        try:
            for service in ("appraisal", "feedback", "reporting", "webhooks"):
                system.migrate(service)
            system.create_topics(*SERVICE_TOPICS)
            points = asyncio.run(seed_feedback(system.url("feedback")))
            slugs = [p["slug"] for p in points]
            # All five services start, so their idle footprint is measured in the same run;
            # appraisal and webhooks then stop: the load runs through the gateway, feedback
            # and reporting only (as it always has), with nothing else taking CPU.
            system.start("appraisal")
            system.start("webhooks")
            feedback = system.start("feedback", workers=args.workers)
            reporting = system.start("reporting")
            gateway = system.start(
                "gateway",
                env={
                    "GATEWAY_FEEDBACK_URL": feedback.url,
                    "GATEWAY_REPORTING_URL": reporting.url,
                    "GATEWAY_APPRAISAL_URL": system.processes["appraisal"].url,
                    "GATEWAY_WEBHOOKS_URL": system.processes["webhooks"].url,
                },
                workers=args.gateway_workers,
            )
            bare = start_baseline(system, args.workers)
            time.sleep(2)
            idle = footprint(system.processes)
            idle_total = {n: p.rss_total_mib() for n, p in system.processes.items()}
            before = {n: p.cpu() or 0.0 for n, p in system.processes.items()}
            time.sleep(5)
            idle_cpu = {
                n: round(((p.cpu() or 0.0) - before[n]) / 5, 3) for n, p in system.processes.items()
            }
            system.stop_one("appraisal")
            system.stop_one("webhooks")

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
            count = "SELECT count(*) FROM feedback"
            rows_before = system.count("feedback", count)
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
            stored = system.count("feedback", count) - rows_before
            ingestion = {
                "tool": f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency",
                "layout": layout,
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
                "outbox_rows_total": system.count("feedback", "SELECT count(*) FROM outbox"),
                "counted_not_held": system.count(
                    "feedback", "SELECT count(*) FROM feedback WHERE counted"
                ),
            }
            first = write_result("ingestion" + suffix, ingestion)
            lag = event_lag(system, gateway, slugs, args.lag_rate, args.lag_seconds, spread)
            lag["layout"] = layout
            after_lag = footprint(system.processes)
        finally:
            system.stop()
    mem = {
        "unit": "MiB VmRSS (of the largest process of each service)",
        "layout": layout,
        "idle_cpu_cores": idle_cpu,
        "idle": idle,
        "idle_all_processes": idle_total,
        "after_ingestion": after,
        "after_event_lag": after_lag,
    }
    paths = [
        first,
        write_result("event_lag" + suffix, lag),
        write_result("footprint" + suffix, mem),
    ]
    print_table(ingestion, lag, mem)
    for path in paths:
        print(f"written to {path.relative_to(ROOT)}")
    if not args.keep:
        system.remove()


def print_table(ingestion: dict[str, Any], lag: dict[str, Any], mem: dict[str, Any]) -> None:
    print(f"\nlayout: {ingestion['layout']}")
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
        f"\nevent lag, offered {lag['offered_rate_per_second']}/s for {lag['seconds']} s: "
        f"achieved {lag['achieved_rate_per_second']}/s, completed "
        f"{lag['completed_per_second']}/s, {lag['accepted']} accepted, statuses "
        f"{lag['statuses']}"
    )
    if lag["generator_fell_behind"]:
        print(
            "  THE GENERATOR FELL BEHIND (achieved < 95 % of offered): the lag below is not "
            "the lag at the offered rate"
        )
    if "lag_not_measured" in lag:
        print(f"  lag not measured: {lag['lag_not_measured']}")
    else:
        print(
            f"  accepted -> applied: p50 {lm['p50']} ms, p99 {lm['p99']} ms, max {lm['max']} ms; "
            f"never applied within {lag['never_applied_within_seconds']:g} s: "
            f"{lag['never_applied']}"
        )
    print(f"\n{'RSS MiB':<16}" + "".join(f"{k:>11}" for k in mem["idle"]))
    for phase in ("idle", "after_ingestion", "after_event_lag"):
        values = [mem[phase].get(k) for k in mem["idle"]]
        print(f"{phase:<16}" + "".join(f"{v!s:>11}" for v in values))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=20, help="wrk seconds per target")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lag-rate", type=float, default=300.0, help="offered submissions/s")
    parser.add_argument("--lag-seconds", type=float, default=30.0)
    parser.add_argument(
        "--same-address",
        action="store_true",
        help="all submissions from one client address (burst queries grow)",
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="local",
        default=None,
        metavar="SERVER_URL",
        help="fresh PostgreSQL databases of the run's own instead of SQLite, on SERVER_URL "
        "(postgresql+asyncpg://user@host:port) or the local cluster of deploy/postgres/local.sh",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="uvicorn workers of the feedback service and of the bare baseline (more than "
        "one needs --postgres)",
    )
    parser.add_argument("--gateway-workers", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="10 s runs, 10 s of lag")
    parser.add_argument("--keep", action="store_true", help="keep var/bench/<run> afterwards")
    args = parser.parse_args()
    if args.workers > 1 and not args.postgres:
        parser.error("several feedback workers share one database safely on PostgreSQL only")
    if args.quick:
        args.duration, args.lag_seconds = 10, 10.0
    main(args)
