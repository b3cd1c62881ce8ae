"""CPU per proxied request of the gateway, in process, and a cProfile of where it goes.

    .venv/bin/python bench/profile_gateway.py [--requests 3000] [--kind get|post|both] [--top 30]

A stand-in upstream (`bench/gateway_stand_in.py`) runs as a uvicorn subprocess; the gateway
app (`create_app`) runs in this process and is called directly through ASGI (a hand-made
scope, no HTTP server and no client library in front of it), so the CPU time measured here is
the gateway's own work per request plus its upstream client. Two kinds of request:

- get:  GET /api/v1/appraisal/ping with a bearer token (analyst), like a staff read;
- post: POST /api/v1/feedback/feedback with X-App-Key and a small JSON body, like ingestion.

For each kind it prints CPU milliseconds per request (process time, profiler off), the wall
time per sequential request, and the top functions by own time with the profiler on.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from system import free_port, wait_until_up

HERE = Path(__file__).resolve().parent
GET_PATH = "/api/v1/appraisal/ping"
POST_PATH = "/api/v1/feedback/feedback"
POST_BODY = json.dumps(
    {
        "service_point": "dukcapil-ktp",
        "visit_date": "2026-11-28",
        "answers": {f"U{i}": i % 4 + 1 for i in range(1, 10)},
        "overall_rating": 4,
        "channel": "app",
    }
).encode()


Call = Callable[[int], Awaitable[int]]


def asgi_caller(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]]) -> Call:
    """One request through the app's ASGI interface; returns the response status."""
    body = POST_BODY if method == "POST" else b""
    if body:
        headers = [*headers, (b"content-type", b"application/json")]
        headers.append((b"content-length", str(len(body)).encode()))

    async def call(n: int) -> int:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.3"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [
                (b"host", b"gateway.local"),
                (b"x-request-id", f"bench-{n:08d}".encode()),
                *headers,
            ],
            "client": ("10.1.2.3", 40000 + n % 20000),
            "server": ("127.0.0.1", 8000),
            "state": {},
        }
        sent = False
        status = 0

        async def receive() -> dict[str, Any]:
            nonlocal sent
            if sent:
                await asyncio.sleep(3600)  # the client would wait for the response
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await app(scope, receive, send)
        return status

    return call


async def measure(call: Call, requests: int, expected: int) -> tuple[float, float]:
    """(CPU ms per request, wall ms per request) of `requests` sequential calls."""
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(requests):
        status = await call(n)
        assert status == expected, status
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / requests, wall * 1000 / requests


async def profile(call: Call, requests: int, expected: int, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(requests):
        status = await call(n)
        assert status == expected, status
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


async def run(args: argparse.Namespace, upstream: str) -> None:
    from kinerja_gateway.main import create_app
    from kinerja_gateway.settings import DEV_APP_KEY, GatewaySettings
    from kinerja_shared.auth import issue_token
    from kinerja_shared.settings import AuthSettings

    settings = GatewaySettings(appraisal_url=upstream, feedback_url=upstream)
    app = create_app(settings)
    token = issue_token(AuthSettings(), subject="bench", roles=["analyst"])
    kinds = {
        "get": (
            asgi_caller(app, "GET", GET_PATH, [(b"authorization", f"Bearer {token}".encode())]),
            200,
        ),
        "post": (
            asgi_caller(
                app,
                "POST",
                POST_PATH,
                [
                    (b"x-app-key", DEV_APP_KEY.encode()),
                    (b"idempotency-key", b"0b5f6a8e-3f5e-4c59-9a55-4d7c2d1f9a10"),
                    (b"x-device-id", b"bench-device"),
                ],
            ),
            201,
        ),
    }
    chosen = list(kinds) if args.kind == "both" else [args.kind]
    async with app.router.lifespan_context(app):
        for kind in chosen:
            call, expected = kinds[kind]
            for n in range(200):  # warm-up: connections pooled, caches filled
                await call(n)
            cpu_ms, wall_ms = await measure(call, args.requests, expected)
            print(f"{kind}: {cpu_ms:.3f} ms CPU / request, {wall_ms:.3f} ms wall (sequential)")
            if args.top:
                print(await profile(call, args.requests, expected, args.top))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--kind", choices=["get", "post", "both"], default="both")
    parser.add_argument("--top", type=int, default=30, help="functions listed (0: no profile)")
    args = parser.parse_args()
    os.environ.setdefault("KINERJA_LOG_LEVEL", "WARNING")
    os.environ.setdefault("GATEWAY_CLIENT_RATE_LIMIT", '{"per_minute": 1e8, "burst": 1e7}')
    os.environ.setdefault("GATEWAY_ADDRESS_RATE_LIMIT", '{"per_minute": 1e8, "burst": 1e7}')
    os.environ.setdefault("GATEWAY_APP_KEY_RATE_LIMIT", '{"per_minute": 1e8, "burst": 1e7}')
    port = free_port()
    stand_in = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--log-level",
            "warning",
            "--no-access-log",
            "--app-dir",
            str(HERE),
            "gateway_stand_in:app",
            "--port",
            str(port),
        ]
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}{GET_PATH}")
        asyncio.run(run(args, f"http://127.0.0.1:{port}"))
    finally:
        stand_in.terminate()
        stand_in.wait()


if __name__ == "__main__":
    main()
