"""Small helpers for tests: database URLs and polling for eventual effects."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROKER = ROOT / "deploy" / "kafka" / "broker.sh"


def database_url_for(service: str, tmp_dir: Path) -> str:
    """The database a service's tests use: from the environment, else a SQLite file."""
    return os.environ.get(f"{service.upper()}_DATABASE_URL") or (
        f"sqlite+aiosqlite:///{tmp_dir / f'{service}.db'}"
    )


def is_postgres_url(url: str) -> bool:
    """Whether a URL points at PostgreSQL."""
    return url.startswith("postgresql")


async def eventually(
    check: Callable[[], Awaitable[bool]] | Callable[[], bool],
    *,
    timeout: float = 30.0,
    interval: float = 0.05,
    message: str = "condition not met",
) -> None:
    """Poll until `check` is true (it may be async); fail with `message` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} within {timeout} s")
        await asyncio.sleep(interval)


def free_port_pair() -> int:
    """A port that is free, and so is the next one (a broker's client and controller ports)."""
    for _ in range(100):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
        return int(port)
    raise RuntimeError("no two free neighbouring ports")


class LocalBroker:
    """A broker of the test's own (through deploy/kafka/broker.sh), which it may stop.

    It listens on free ports and has the test broker's principals and passwords, so the
    session's credentials work on it too."""

    def __init__(self, data_dir: Path) -> None:
        from support.kafka import principal_passwords

        self.port = free_port_pair()
        self.data_dir = data_dir
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "KAFKA_BOOTSTRAP_SERVERS"},
            **{f"{p.upper()}_KAFKA_PASSWORD": pw for p, pw in principal_passwords().items()},
            "KINERJA_KAFKA_PORT": str(self.port),
            "KINERJA_KAFKA_DATA": str(data_dir),
            "KINERJA_KAFKA_HEAP": "384m",
        }

    @property
    def bootstrap(self) -> str:
        """Its address."""
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it and wait until it accepts connections."""
        subprocess.run([str(BROKER), "start"], check=True, env=self.env)

    def stop(self) -> None:
        """Stop it cleanly."""
        subprocess.run([str(BROKER), "stop"], check=True, env=self.env)

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """The broker's process stopped (SIGSTOP) inside the block and resumed (SIGCONT) after
        it: its connections stay open and new ones are accepted, but nothing is answered — a
        broker in a long pause or on a stalled host, not one that is down."""
        pid = int((self.data_dir / "broker.pid").read_text())
        os.kill(pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(pid, signal.SIGCONT)
