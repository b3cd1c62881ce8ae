"""CPU per accepted submission of the feedback service, in process, with the bare baseline.

    .venv/bin/python bench/cpu_per_submission.py [--requests 2000] [--concurrency 16]
        [--rounds 3] [--baseline]

Builds the real app (create_app) on a fresh SQLite database under var/bench/ and calls
it as an ASGI application directly (no HTTP server, no client library: the only Python code
running is the service's), POST /api/v1/feedback/feedback with a distinct Idempotency-Key,
X-Device-Id and gateway assertion (naming a distinct client address; signed before the clock
starts, verified by the service within it) per request, `--concurrency` at a time.

Reports, per round: process CPU seconds (every thread, so aiosqlite's too) per accepted
submission, the event loop thread's share of it, SQL statements per submission (the outbox
relay's included) and submissions per second of wall time. With --baseline, the same driver
on bench/baseline_app.py (FastAPI validating the same body) gives the same-run ratio. Every
response must be a 201; every row and outbox row must be there.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from common import broker, gateway_signer, write_result
from system import FEEDBACK_LOAD_ENV, System, feedback_body, seed_feedback

from kinerja_shared.gateway_assertion import ASSERTION_HEADER

PATH = "/api/v1/feedback/feedback"
Asgi = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


async def post(app: Asgi, body: bytes, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    """One HTTP/1.1 POST through the ASGI interface; status and body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": PATH,
        "raw_path": PATH.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"feedback"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    sent = False
    status = 0
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # never: the client does not disconnect
        raise AssertionError

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


def requests_for(slugs: list[str], first: int, count: int) -> list[tuple[bytes, list[Any]]]:
    """Bodies and headers, built before the clock starts."""
    made = []
    signer = gateway_signer(ttl_seconds=3600)
    for n in range(first, first + count):
        body = json.dumps(feedback_body(slugs[n % len(slugs)], n)).encode()
        address = f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"
        assertion = signer.sign(
            service="feedback", method="POST", target=PATH, client_address=address, request_id=None
        )
        headers = [
            (b"idempotency-key", str(uuid.uuid4()).encode()),
            (b"x-device-id", uuid.uuid4().hex.encode()),
            (ASSERTION_HEADER.encode(), assertion.encode()),
        ]
        made.append((body, headers))
    return made


async def round_(
    app: Asgi, work: list[tuple[bytes, list[Any]]], concurrency: int
) -> dict[str, Any]:
    """Send every request, `concurrency` at a time; CPU and wall time of the whole round."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements = 0

    def _count(*_: Any) -> None:
        nonlocal statements
        statements += 1

    event.listen(Engine, "before_cursor_execute", _count)
    queue = iter(work)
    statuses: dict[int, int] = {}

    async def worker() -> None:
        for body, headers in queue:
            status, text = await post(app, body, headers)
            statuses[status] = statuses.get(status, 0) + 1
            if status != 201:
                raise RuntimeError(f"{status}: {text[:500]!r}")

    cpu0, loop0, wall0 = time.process_time(), time.thread_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    loop_cpu = time.thread_time() - loop0
    event.remove(Engine, "before_cursor_execute", _count)
    n = len(work)
    return {
        "requests": n,
        "statuses": statuses,
        "cpu_ms_per_request": round(cpu / n * 1000, 3),
        "event_loop_thread_cpu_ms_per_request": round(loop_cpu / n * 1000, 3),
        "statements_per_request": round(statements / n, 2),
        "requests_per_second": round(n / wall, 1),
    }


async def measure(
    app: Any, slugs: list[str], requests: int, concurrency: int, rounds: int
) -> list[dict[str, Any]]:
    async with app.router.lifespan_context(app):
        await round_(app, requests_for(slugs, 0, 50), concurrency)  # warm-up
        results = []
        for r in range(rounds):
            work = requests_for(slugs, 50 + r * requests, requests)
            results.append(await round_(app, work, concurrency))
            print(f"  round {r + 1}: {results[-1]}", flush=True)
        return results


def summary(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "cpu_ms_per_request_median": statistics.median(r["cpu_ms_per_request"] for r in rounds),
        "requests_per_second_median": statistics.median(r["requests_per_second"] for r in rounds),
        "statements_per_request": rounds[-1]["statements_per_request"],
        "rounds": rounds,
    }


async def committed(url: str) -> tuple[int, int]:
    from sqlalchemy import text

    from kinerja_shared.db import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT count(*) FROM feedback"))).scalar_one()
            events = (
                await conn.execute(
                    text(
                        "SELECT count(*) FROM outbox WHERE event_type LIKE '%feedback.submitted.v1'"
                    )
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    return int(rows), int(events)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="per round")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", action="store_true", help="also the bare FastAPI app")
    args = parser.parse_args()
    load = os.getloadavg()
    with broker() as bootstrap:
        system = System(bootstrap, extra_env=FEEDBACK_LOAD_ENV)
        env = system.env("feedback")
        system.migrate("feedback")
        points = asyncio.run(seed_feedback(system.database("feedback")))
        slugs = [p["slug"] for p in points]
        os.environ.update(env)
        from kinerja_feedback.main import create_app

        print(f"feedback service, {args.concurrency} concurrent:", flush=True)
        service = summary(
            asyncio.run(measure(create_app(), slugs, args.requests, args.concurrency, args.rounds))
        )
        rows, events = asyncio.run(committed(env["FEEDBACK_DATABASE_URL"]))
        expected = 50 + args.rounds * args.requests
        figures: dict[str, Any] = {
            "concurrency": args.concurrency,
            "database": "sqlite",
            "feedback": service,
            "rows_committed": rows,
            "submitted_events_in_outbox": events,
            "rows_expected": expected,
        }
        if rows != expected or events != expected:
            raise SystemExit(f"expected {expected} rows and events, found {rows} and {events}")
        if args.baseline:
            import baseline_app

            print("bare FastAPI baseline:", flush=True)
            base = summary(
                asyncio.run(
                    measure(baseline_app.app, slugs, args.requests, args.concurrency, args.rounds)
                )
            )
            figures["baseline"] = base
            figures["cpu_ratio_baseline_over_feedback"] = round(
                base["cpu_ms_per_request_median"] / service["cpu_ms_per_request_median"], 3
            )
        figures["load_average_before"] = load
        figures["load_average_after"] = os.getloadavg()
        path = write_result("cpu_per_submission", figures)
        print(
            f"feedback: {service['cpu_ms_per_request_median']} ms CPU/submission, "
            f"{service['statements_per_request']} statements, "
            f"{service['requests_per_second_median']} submissions/s"
        )
        if args.baseline:
            print(
                f"baseline: {figures['baseline']['cpu_ms_per_request_median']} ms CPU/request; "
                f"ratio {figures['cpu_ratio_baseline_over_feedback']}"
            )
        print(f"load average {load} -> {os.getloadavg()}; {path}")
        system.remove()


if __name__ == "__main__":
    main()
