"""Shared pieces of the benchmarks: a broker of their own, machine facts, result files."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kinerja_shared.gateway_assertion import AssertionSigner, GatewayAssertionAuth
from kinerja_shared.settings import DEV_GATEWAY_PRIVATE_KEY

ROOT = Path(__file__).resolve().parents[1]
BROKER = ROOT / "deploy" / "kafka" / "broker.sh"
RESULTS = ROOT / "bench" / "results"


def gateway_signer(ttl_seconds: float = 30) -> AssertionSigner:
    """Signs gateway assertions with the development key (services accept it outside
    production): what a benchmark needs to call a service straight, without the gateway."""
    return AssertionSigner(DEV_GATEWAY_PRIVATE_KEY, ttl_seconds=ttl_seconds)


def gateway_auth(service: str, client_address: str = "127.0.0.1") -> GatewayAssertionAuth:
    """httpx auth signing each request to `service` as the gateway would."""
    return GatewayAssertionAuth(gateway_signer(), service=service, client_address=client_address)


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    return {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average": os.getloadavg(),
    }


@contextmanager
def broker(port: int | None = None) -> Iterator[str]:
    """The user's broker (KAFKA_BOOTSTRAP_SERVERS, with the KAFKA_* credentials of the
    environment) or a fresh one of the benchmark's own, used as its admin, on `port` or
    BENCH_KAFKA_PORT (49092 unless set: two checkouts benchmarking at once each set their own)."""
    port = port or int(os.environ.get("BENCH_KAFKA_PORT", "49092"))
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        yield os.environ["KAFKA_BOOTSTRAP_SERVERS"]
        return
    from kinerja_shared.kafka_client import read_credentials_file

    data = ROOT / "var" / "kafka-bench"
    env = {**os.environ, "KINERJA_KAFKA_PORT": str(port), "KINERJA_KAFKA_DATA": str(data)}
    subprocess.run([str(BROKER), "stop"], env=env, check=False, capture_output=True)
    subprocess.run(["rm", "-rf", str(data)], check=True)
    subprocess.run([str(BROKER), "start"], env=env, check=True)
    credentials = read_credentials_file(data / "credentials")
    os.environ.update({k: v for k, v in credentials.items() if k.startswith("KAFKA_")})
    try:
        yield f"127.0.0.1:{port}"
    finally:
        subprocess.run([str(BROKER), "stop"], env=env, check=False)


def write_result(name: str, figures: dict[str, Any]) -> Path:
    """Write one run's figures with the machine description; returns the file. BENCH_RUN
    (set by `make bench` for all its scenarios) is recorded as "run", so bench/marks.py
    reads the results of one and the same run."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "benchmark": name,
                "at": stamp,
                "run": os.environ.get("BENCH_RUN"),
                "machine": machine(),
                "figures": figures,
            },
            indent=2,
            default=str,
        )
    )
    return path


class Stopwatch:
    """Wall-clock seconds of a block."""

    def __enter__(self) -> Stopwatch:
        self.started = time.perf_counter()
        return self

    def __exit__(self, *_: object) -> None:
        self.seconds = time.perf_counter() - self.started
