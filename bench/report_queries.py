"""Report queries over a large read model: a unit's yearly IKM and an employee's history.

    .venv/bin/python bench/report_queries.py [--events 1000000] [--quick] [--queries 300]

Loads the events (bench/events.py) into a fresh reporting database by calling the reporting
service's own event handlers (register_handlers: the same code the consumer runs, without
the inbox) in batches of --batch events per transaction, then times, through the service's
HTTP API in process (httpx ASGITransport on create_app), with a bkpsdm_admin token:

- GET /api/v1/reporting/ikm/units/{unit}?period=2026 (a dinas, its subtree pooled)
- GET /api/v1/reporting/performance/employees/{id}/history

Baseline: the same IKM computed from the raw per-feedback rows (feedback_entry, included
rows of the subtree's units in 2026) with one SQL aggregate on the same engine, then the same
compute_ikm; the two IKM values are checked equal.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import time
from datetime import UTC, datetime
from typing import Any

import events as history
import httpx
from common import ROOT, Stopwatch, gateway_auth, write_result
from sqlalchemy import and_, func, select
from system import BIN, VAR, sqlite_url

PERIOD = "2026"


def pct(values: list[float]) -> dict[str, float]:
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(q[49], 3), "p99": round(q[98], 3), "max": round(max(values), 3)}


async def load(runtime: Any, settings: Any, count: int, batch: int) -> dict[str, Any]:
    """Drive the handlers directly: one transaction per batch of events."""
    from kinerja_reporting.handlers import register_handlers
    from kinerja_reporting.projections.context import Projection
    from kinerja_shared.consumer import EventRouter

    router = register_handlers(
        EventRouter(), Projection(settings=settings, outbox=runtime.outbox, publish=False)
    )
    source = "/kinerja/bench"
    applied = 0
    chunk: list[Any] = []

    async def flush() -> None:
        nonlocal applied
        async with runtime.sessions() as session, session.begin():
            for payload in chunk:
                event = payload.to_event(source=source)
                handler = router.handler_for(event.type)
                await handler(session, event, payload)
        applied += len(chunk)
        chunk.clear()

    with Stopwatch() as watch:
        for payload in history.history(count):
            chunk.append(payload)
            if len(chunk) >= batch:
                await flush()
                if applied % 50_000 < batch:
                    rate = applied / (time.perf_counter() - watch.started)
                    print(f"  loaded {applied} events, {rate:.0f}/s", flush=True)
        if chunk:
            await flush()
    return {
        "events_applied": applied,
        "load_seconds": round(watch.seconds, 1),
        "load_events_per_second": round(applied / watch.seconds),
    }


def _feedback_rows(
    payloads: Any, applied_at: datetime
) -> tuple[list[dict[str, Any]], dict[tuple, list[int]], dict[tuple, list[int]]]:
    """feedback_entry rows and ikm/staff totals exactly as the feedback fold leaves them for
    fresh feedback.submitted events (no moderation, no withdrawal): the row with its scores
    (``applied_at`` the moment of the load, as the fold's clock would give it);
    when counted, +1 respondent and the scores in the point and unit totals of the year,
    quarter and month of the visit, and in the named employee's totals (with the overall
    rating) unless its attribution is held (staff_counted false). Unit flags are not derived
    (the queries measured do not read them)."""
    from kinerja_reporting.domain.ikm import normalise_answers
    from kinerja_reporting.domain.periods import periods_containing

    rows: list[dict[str, Any]] = []
    ikm: dict[tuple, list[int]] = {}
    staff: dict[tuple, list[int]] = {}
    periods: dict[Any, list[str]] = {}
    for p in payloads:
        staff_counted = p.staff_counted is not False
        answers = normalise_answers({str(k): v for k, v in p.answers.items()}) if p.answers else {}
        scores = {f"u{e}": None for e in range(1, 10)} | {
            f"u{u.position + 1}": score for u, score in answers.items()
        }
        rows.append(
            {
                "feedback_id": p.feedback_id,
                "service_point_id": p.service_point_id,
                "unit_id": p.unit_id,
                "employee_id": p.employee_id,
                "visit_date": p.visit_date,
                "overall_rating": p.overall_rating,
                "has_scores": True,
                "counted": p.counted,
                "staff_counted": staff_counted,
                "moderated": False,
                "reviewed": False,
                "withdrawn": False,
                "included": p.counted,
                "staff_included": p.counted and staff_counted,
                "applied_at": applied_at,
                **scores,
            }
        )
        if not p.counted:
            continue
        by_element = {u.position + 1: score for u, score in answers.items()}
        amounts = (
            [1]
            + [by_element.get(e, 0) for e in range(1, 10)]
            + [1 if e in by_element else 0 for e in range(1, 10)]
        )
        keys = periods.get(p.visit_date)
        if keys is None:
            keys = periods[p.visit_date] = [x.key for x in periods_containing(p.visit_date)]
        if by_element:
            for key in keys:
                for scope_key in (("point", p.service_point_id, key), ("unit", p.unit_id, key)):
                    total = ikm.setdefault(scope_key, [0] * 19)
                    for i, a in enumerate(amounts):
                        total[i] += a
        if p.employee_id and staff_counted:
            for key in keys:
                total = staff.setdefault((p.employee_id, key), [0] * 21)
                for i, a in enumerate(amounts):
                    total[i] += a
                total[19] += p.overall_rating or 0
                total[20] += int(bool(p.overall_rating))
    return rows, ikm, staff


async def load_direct(
    runtime: Any, settings: Any, count: int, batch: int, applied_at: datetime | None = None
) -> dict[str, Any]:
    """Directory and assessments through the handlers; the feedback rows and totals written
    directly (see _feedback_rows), in one transaction per table chunk; ``applied_at``: the
    moment every feedback row records as applied (now by default)."""
    from sqlalchemy import insert

    from kinerja_reporting.models import FEEDBACK, IKM_TOTALS, STAFF_TOTALS

    cols = ["respondents", *[f"s{e}" for e in range(1, 10)], *[f"n{e}" for e in range(1, 10)]]
    with Stopwatch() as watch:
        small = await load_payloads(
            runtime, settings, [*history.directory(), *history.assessments()], batch
        )
        rows, ikm, staff = _feedback_rows(history.feedback(count), applied_at or datetime.now(UTC))
        async with runtime.sessions() as session, session.begin():
            for start in range(0, len(rows), 50_000):
                await session.execute(insert(FEEDBACK), rows[start : start + 50_000])
            await session.execute(
                insert(IKM_TOTALS),
                [
                    {
                        "scope": k[0],
                        "scope_id": k[1],
                        "period_key": k[2],
                        **dict(zip(cols, v, strict=True)),
                    }
                    for k, v in ikm.items()
                ],
            )
            await session.execute(
                insert(STAFF_TOTALS),
                [
                    {
                        "employee_id": k[0],
                        "period_key": k[1],
                        **dict(zip([*cols, "overall_sum", "overall_count"], v, strict=True)),
                    }
                    for k, v in staff.items()
                ],
            )
    applied = small + len(rows)
    return {
        "loader": "direct (directory and assessments via handlers)",
        "events_applied": applied,
        "load_seconds": round(watch.seconds, 1),
        "load_events_per_second": round(applied / watch.seconds),
    }


async def load_payloads(
    runtime: Any, settings: Any, payloads: Any, batch: int, applied_at: datetime | None = None
) -> int:
    from kinerja_reporting.handlers import register_handlers
    from kinerja_reporting.projections.context import Projection
    from kinerja_shared.consumer import EventRouter

    clock = {"clock": lambda: applied_at} if applied_at is not None else {}
    router = register_handlers(
        EventRouter(),
        Projection(settings=settings, outbox=runtime.outbox, publish=False, **clock),
    )
    payloads = list(payloads)
    for start in range(0, len(payloads), batch):
        async with runtime.sessions() as session, session.begin():
            for payload in payloads[start : start + batch]:
                event = payload.to_event(source="/kinerja/bench")
                await router.handler_for(event.type)(session, event, payload)
    return len(payloads)


async def verify_direct(count: int) -> dict[str, Any]:
    """Load the same small history both ways and compare the tables the queries read."""
    import sqlite3

    from kinerja_reporting.runtime import create_runtime
    from kinerja_reporting.settings import ReportingSettings

    dumps = []
    applied_at = datetime.now(UTC)  # both ways record the same moment as applied
    for how in ("handlers", "direct"):
        database = VAR / f"verify-{how}-{os.getpid()}.db"
        database.unlink(missing_ok=True)
        url = sqlite_url(database)
        subprocess.run(  # noqa: ASYNC221 - before any load starts
            [str(BIN / "kinerja-reporting"), "migrate"],
            check=True,
            capture_output=True,
            env={**os.environ, "REPORTING_DATABASE_URL": url},
        )
        settings = ReportingSettings(database_url=url, run_consumers=False, run_relay=False)
        runtime = create_runtime(settings)
        if how == "handlers":
            await load_payloads(runtime, settings, history.history(count), 500, applied_at)
        else:
            await load_direct(runtime, settings, count, 500, applied_at)
        await runtime.stop()
        with sqlite3.connect(database) as conn:
            dumps.append(
                {
                    t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")))
                    for t in ("feedback_entry", "ikm_totals", "staff_totals")
                }
            )
        database.unlink(missing_ok=True)
    return {t: dumps[0][t] == dumps[1][t] for t in dumps[0]} | {"feedback_events": count}


async def baseline_ikm(sessions: Any, units: list[str]) -> tuple[Any, float]:
    """The IKM of the units in 2026 from raw feedback rows: one aggregate, then compute_ikm."""
    from kinerja_reporting.domain.ikm import ElementTotals, compute_ikm
    from kinerja_reporting.models import FEEDBACK

    columns = [func.count()]
    for e in range(1, 10):
        c = FEEDBACK.c[f"u{e}"]
        columns += [func.coalesce(func.sum(c), 0), func.count(c)]
    statement = select(*columns).where(
        and_(
            FEEDBACK.c.unit_id.in_(units),
            FEEDBACK.c.included.is_(True),
            FEEDBACK.c.visit_date >= f"{PERIOD}-01-01",
            FEEDBACK.c.visit_date <= f"{PERIOD}-12-31",
        )
    )
    started = time.perf_counter()
    async with sessions() as session:
        row = (await session.execute(statement)).one()
    totals = _element_totals(ElementTotals, row)
    result = compute_ikm(totals)
    return result.ikm, (time.perf_counter() - started) * 1000


def _element_totals(cls: Any, row: Any) -> Any:
    """ElementTotals from (respondents, s1, n1, ..., s9, n9)."""
    from kinerja_reporting.domain.ikm import ElementTally

    return cls(
        respondents=int(row[0]),
        tallies=tuple(
            ElementTally(int(row[1 + 2 * (e - 1)]), int(row[2 + 2 * (e - 1)])) for e in range(1, 10)
        ),
    )


async def run(count: int, batch: int, queries: int, loader: str) -> dict[str, Any]:
    from kinerja_reporting.main import create_app
    from kinerja_reporting.runtime import create_runtime
    from kinerja_reporting.settings import ReportingSettings
    from kinerja_shared.auth import issue_token
    from kinerja_shared.settings import AuthSettings

    run_dir = VAR / f"reports-{os.getpid()}"
    run_dir.mkdir(parents=True, exist_ok=True)
    database = run_dir / "reporting.db"
    database.unlink(missing_ok=True)
    url = sqlite_url(database)
    subprocess.run(  # noqa: ASYNC221 - before any load starts
        [str(BIN / "kinerja-reporting"), "migrate"],
        check=True,
        capture_output=True,
        env={**os.environ, "REPORTING_DATABASE_URL": url},
    )
    settings = ReportingSettings(database_url=url, run_consumers=False, run_relay=False)
    runtime = create_runtime(settings)
    verified = None
    if loader == "direct":
        verified = await verify_direct(1000)
        loaded = await load_direct(runtime, settings, count, batch)
    else:
        loaded = await load(runtime, settings, count, batch)
    loaded["direct_loader_matches_handlers"] = verified
    await runtime.stop()

    app = create_app(ReportingSettings(database_url=url, run_consumers=False, run_relay=False))
    token = issue_token(AuthSettings(), subject="bench", roles=["bkpsdm_admin"])
    headers = {"Authorization": f"Bearer {token}"}
    unit = history.unit_id(3)  # a dinas: its own feedback and its kelurahan's
    subtree = [
        history.unit_id(n) for n in range(history.UNITS) if n == 3 or (n >= 10 and n % 10 == 3)
    ]
    employee = history.employee_id(42)
    figures: dict[str, Any] = {"events": count, **loaded, "queries_each": queries}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://reporting",
            headers=headers,
            auth=gateway_auth("reporting"),
        ) as client:

            async def timed(path: str) -> tuple[list[float], Any, float]:
                """Latencies (ms) after 20 warm-ups, the last body, and the CPU ms per query
                of this process (the event loop and aiosqlite's thread) over the timed ones."""
                times, body, cpu = [], None, 0.0
                for i in range(queries + 20):
                    if i == 20:
                        cpu = time.process_time()
                    started = time.perf_counter()
                    response = await client.get(path)
                    took = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200, response.text
                    if i >= 20:
                        times.append(took)
                    body = response.json()
                return times, body, (time.process_time() - cpu) * 1000 / queries

            ikm_times, report, ikm_cpu = await timed(
                f"/api/v1/reporting/ikm/units/{unit}?period={PERIOD}"
            )
            history_times, hist, history_cpu = await timed(
                f"/api/v1/reporting/performance/employees/{employee}/history"
            )
        sessions = app.state.runtime.sessions
        base_times, base_ikm = [], None
        for i in range(max(20, queries // 10) + 3):
            base_ikm, took = await baseline_ikm(sessions, subtree)
            if i >= 3:
                base_times.append(took)
    rows = {"feedback_entry": None}
    import sqlite3

    with sqlite3.connect(database) as conn:
        for table in ("feedback_entry", "ikm_totals", "staff_totals", "assessment"):
            rows[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    figures.update(
        {
            "database": "sqlite",
            "database_mib": round(database.stat().st_size / 2**20, 1),
            "rows": rows,
            "unit_ikm_query_ms": pct(ikm_times),
            "unit_ikm": {
                "unit": unit,
                "period": PERIOD,
                "units_pooled": len(subtree),
                "respondents": report.get("respondents"),
                "ikm": report.get("ikm"),
            },
            "unit_ikm_cpu_ms_per_query": round(ikm_cpu, 3),
            "employee_history_query_ms": pct(history_times),
            "employee_history_cpu_ms_per_query": round(history_cpu, 3),
            "employee_history_entries": len(hist.get("entries", [])),
            "baseline_sql_aggregate_over_feedback_rows_ms": pct(base_times),
            "baseline_ikm": str(base_ikm),
            "same_ikm": str(base_ikm) == str(report.get("ikm")),
            "ikm_speedup_over_baseline_p50": round(
                pct(base_times)["p50"] / pct(ikm_times)["p50"], 1
            ),
        }
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 events")
    parser.add_argument("--batch", type=int, default=2000, help="events per transaction")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--loader",
        choices=("direct", "handlers"),
        default="direct",
        help="handlers: every event through the service's handlers (slow)",
    )
    args = parser.parse_args()
    count = 100_000 if args.quick else args.events
    figures = asyncio.run(run(count, args.batch, args.queries, args.loader))
    path = write_result("report_queries", figures)
    for key in (
        "events",
        "load_events_per_second",
        "direct_loader_matches_handlers",
        "unit_ikm_query_ms",
        "unit_ikm_cpu_ms_per_query",
        "employee_history_query_ms",
        "employee_history_cpu_ms_per_query",
        "baseline_sql_aggregate_over_feedback_rows_ms",
        "same_ikm",
        "ikm_speedup_over_baseline_p50",
        "unit_ikm",
    ):
        print(f"{key:<46} {figures[key]}")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
