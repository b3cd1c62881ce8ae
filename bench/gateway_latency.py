"""Added latency of the gateway: p50/p99 of a small JSON GET, direct vs through the gateway.

Run: `make bench-gateway` or `.venv/bin/python bench/gateway_latency.py [requests]`.
It starts a stand-in service (uvicorn, one worker) and the gateway (uvicorn, one worker) as
subprocesses on free ports, warms both up, then times sequential requests from one
keep-alive client.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from common import write_result

from kinerja_shared.auth import issue_token
from kinerja_shared.settings import AuthSettings

HERE = Path(__file__).resolve().parent
PATH = "/api/v1/appraisal/ping"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=0.5)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def timings(client: httpx.Client, url: str, headers: dict[str, str], n: int) -> list[float]:
    for _ in range(200):
        client.get(url, headers=headers).raise_for_status()
    result = []
    for _ in range(n):
        started = time.perf_counter()
        client.get(url, headers=headers).raise_for_status()
        result.append((time.perf_counter() - started) * 1000)
    return result


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    service_port, gateway_port = free_port(), free_port()
    env = {
        **os.environ,
        "GATEWAY_APPRAISAL_URL": f"http://127.0.0.1:{service_port}",
        "GATEWAY_CLIENT_RATE_LIMIT": '{"per_minute": 1000000, "burst": 1000000}',
        "GATEWAY_ADDRESS_RATE_LIMIT": '{"per_minute": 1000000, "burst": 1000000}',
        "KINERJA_LOG_LEVEL": "WARNING",
    }
    uvicorn = [sys.executable, "-m", "uvicorn", "--log-level", "warning", "--no-access-log"]
    processes = [
        subprocess.Popen(
            [*uvicorn, "--app-dir", str(HERE), "gateway_stand_in:app", "--port", str(service_port)],
            env=env,
        ),
        subprocess.Popen(
            [*uvicorn, "kinerja_gateway.main:app", "--port", str(gateway_port)], env=env
        ),
    ]
    try:
        wait_until_up(f"http://127.0.0.1:{service_port}{PATH}")
        wait_until_up(f"http://127.0.0.1:{gateway_port}/health")
        token = issue_token(AuthSettings(), subject="bench", roles=["analyst"])
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client() as client:
            direct = timings(client, f"http://127.0.0.1:{service_port}{PATH}", headers, n)
            via = timings(client, f"http://127.0.0.1:{gateway_port}{PATH}", headers, n)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
    print(f"{n} sequential GET {PATH} (small JSON), one keep-alive client, ms")
    print(f"{'':10}{'p50':>8}{'p99':>8}")
    for label, values in (("direct", direct), ("gateway", via)):
        print(f"{label:10}{percentile(values, 50):8.2f}{percentile(values, 99):8.2f}")
    p50 = percentile(via, 50) - percentile(direct, 50)
    p99 = percentile(via, 99) - percentile(direct, 99)
    print(f"{'added':10}{p50:8.2f}{p99:8.2f}")
    path = write_result(
        "gateway_latency",
        {
            "requests": n,
            "direct_p50_ms": round(percentile(direct, 50), 3),
            "direct_p99_ms": round(percentile(direct, 99), 3),
            "gateway_p50_ms": round(percentile(via, 50), 3),
            "gateway_p99_ms": round(percentile(via, 99), 3),
            "added_p50_ms": round(p50, 3),
            "added_p99_ms": round(p99, 3),
        },
    )
    print(f"written to {path}")


if __name__ == "__main__":
    main()
