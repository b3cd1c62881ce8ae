"""Added latency of the gateway: p50/p99 of small JSON requests, direct vs through the gateway.

Run: `make bench-gateway` or
`.venv/bin/python bench/gateway_latency.py [requests] [--kind ...] [--server ...]`.
It starts a stand-in service and the gateway (one worker each, under uvicorn or, with
`--server granian` or BENCH_SERVER=granian, under granian; `--server both` measures one after
the other in the same run) as subprocesses on free ports, warms both up, then times
sequential requests from one keep-alive client:

- get:  GET /api/v1/appraisal/ping with a bearer token (a staff read);
- post: POST /api/v1/feedback/feedback with X-App-Key and a small JSON body (a submission).

Besides the latencies it reports the CPU time the gateway process used per request (from
/proc, user + system), the figure that bounds throughput on a loaded machine. To compare
with older code in the same run, put that code first on PYTHONPATH (e.g. a `git archive`
of an earlier commit unpacked outside the repository).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

import httpx
from common import write_result
from system import SERVER, cpu_seconds, free_port, server_command, wait_until_up

from kinerja_gateway.settings import DEV_APP_KEY
from kinerja_shared.auth import issue_token
from kinerja_shared.settings import AuthSettings

HERE = Path(__file__).resolve().parent
PATH = "/api/v1/appraisal/ping"
POST_PATH = "/api/v1/feedback/feedback"
POST_BODY = {
    "service_point": "dukcapil-ktp",
    "visit_date": "2026-11-28",
    "answers": {f"U{i}": i % 4 + 1 for i in range(1, 10)},
    "overall_rating": 4,
    "channel": "app",
}


def timings(
    client: httpx.Client, kind: str, url: str, headers: dict[str, str], n: int, pid: int
) -> tuple[list[float], float]:
    """Latencies (ms) of n sequential requests and CPU ms per request of process `pid`."""

    def one() -> None:
        if kind == "get":
            client.get(url, headers=headers).raise_for_status()
        else:
            client.post(url, headers=headers, json=POST_BODY).raise_for_status()

    for _ in range(200):
        one()
    result = []
    cpu = cpu_seconds(pid) or 0.0
    for _ in range(n):
        started = time.perf_counter()
        one()
        result.append((time.perf_counter() - started) * 1000)
    return result, ((cpu_seconds(pid) or 0.0) - cpu) * 1000 / n


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def measure(server: str, kinds: list[str], n: int) -> dict[str, object]:
    """The figures of both targets under `server`, keyed as in the result file."""
    service_port, gateway_port = free_port(), free_port()
    service = f"http://127.0.0.1:{service_port}"
    unlimited = '{"per_minute": 1000000, "burst": 1000000}'
    env = {
        **os.environ,
        "GATEWAY_APPRAISAL_URL": service,
        "GATEWAY_FEEDBACK_URL": service,
        "GATEWAY_CLIENT_RATE_LIMIT": unlimited,
        "GATEWAY_ADDRESS_RATE_LIMIT": unlimited,
        "GATEWAY_APP_KEY_RATE_LIMIT": unlimited,
        "KINERJA_LOG_LEVEL": "WARNING",
    }
    processes = [
        subprocess.Popen(
            server_command("gateway_stand_in:app", service_port, app_dir=HERE, server=server),
            env=env,
        ),
        subprocess.Popen(
            server_command("kinerja_gateway.main:app", gateway_port, server=server), env=env
        ),
    ]
    stand_in, gateway = processes
    results = {}
    paths = {"get": PATH, "post": POST_PATH}
    try:
        wait_until_up(f"{service}{PATH}")
        wait_until_up(f"http://127.0.0.1:{gateway_port}/health")
        token = issue_token(AuthSettings(), subject="bench", roles=["analyst"])
        headers = {
            "get": {"Authorization": f"Bearer {token}"},
            "post": {
                "X-App-Key": DEV_APP_KEY,
                "Idempotency-Key": "0b5f6a8e-3f5e-4c59-9a55-4d7c2d1f9a10",
            },
        }
        with httpx.Client() as client:
            for kind in kinds:
                results[kind] = (
                    timings(
                        client, kind, f"{service}{paths[kind]}", headers[kind], n, stand_in.pid
                    ),
                    timings(
                        client,
                        kind,
                        f"http://127.0.0.1:{gateway_port}{paths[kind]}",
                        headers[kind],
                        n,
                        gateway.pid,
                    ),
                )
    finally:
        for process in processes:
            process.terminate()
            process.wait()
    figures: dict[str, object] = {}
    for kind, ((direct, service_cpu), (via, gateway_cpu)) in results.items():
        print(f"{n} sequential {kind.upper()} {paths[kind]} (small JSON), one keep-alive client")
        print(f"{'ms':10}{'p50':>8}{'p99':>8}{'CPU/req':>9}   ({server})")
        print(
            f"{'direct':10}{percentile(direct, 50):8.2f}{percentile(direct, 99):8.2f}"
            f"{service_cpu:9.3f}  (service)"
        )
        print(
            f"{'gateway':10}{percentile(via, 50):8.2f}{percentile(via, 99):8.2f}"
            f"{gateway_cpu:9.3f}  (gateway process)"
        )
        p50 = percentile(via, 50) - percentile(direct, 50)
        p99 = percentile(via, 99) - percentile(direct, 99)
        print(f"{'added':10}{p50:8.2f}{p99:8.2f}")
        prefix = "" if kind == "get" else "post_"
        figures.update(
            {
                f"{prefix}direct_p50_ms": round(percentile(direct, 50), 3),
                f"{prefix}direct_p99_ms": round(percentile(direct, 99), 3),
                f"{prefix}gateway_p50_ms": round(percentile(via, 50), 3),
                f"{prefix}gateway_p99_ms": round(percentile(via, 99), 3),
                f"{prefix}added_p50_ms": round(p50, 3),
                f"{prefix}added_p99_ms": round(p99, 3),
                f"{prefix}gateway_cpu_ms_per_request": round(gateway_cpu, 3),
                f"{prefix}service_cpu_ms_per_request": round(service_cpu, 3),
            }
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("requests", nargs="?", type=int, default=3000, help="per kind and target")
    parser.add_argument("--kind", choices=["get", "post", "both"], default="both")
    parser.add_argument(
        "--server",
        choices=["uvicorn", "granian", "both"],
        default=SERVER,
        help="ASGI server of both processes (default: BENCH_SERVER, else uvicorn)",
    )
    args = parser.parse_args()
    n = args.requests
    kinds = ["get", "post"] if args.kind == "both" else [args.kind]
    servers = ["uvicorn", "granian"] if args.server == "both" else [args.server]
    figures: dict[str, object] = {"requests": n, "load_average_before": os.getloadavg()}
    for server in servers:
        measured = measure(server, kinds, n)
        if len(servers) == 1:
            figures.update(measured, server=server)
        else:
            figures[server] = measured
    figures["load_average_after"] = os.getloadavg()
    path = write_result("gateway_latency", figures)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
