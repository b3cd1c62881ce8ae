"""Running the real services for the benchmarks: fresh databases, migrations, server processes.

Every service runs as its own uvicorn process (no access log; one worker unless asked for
more; `BENCH_SERVER=granian` runs them under granian instead, to compare the two servers)
on a free port, with its database a fresh SQLite file under var/bench/, or with
``postgres=`` a fresh PostgreSQL database of the run's own (created at start, dropped by
``remove()``), and its topics under a namespace of the benchmark's own. Nothing here changes
service code: everything is set through the services' documented environment variables.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from common import ROOT

BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"
SERVICES = ("appraisal", "feedback", "reporting", "webhooks")
LOCAL_POSTGRES = ROOT / "deploy" / "postgres" / "local.sh"
UNLIMITED = '{"per_minute": 100000000, "burst": 10000000}'
#: The ASGI server every process runs under: uvicorn (as deploy/Procfile), or granian.
SERVER = os.environ.get("BENCH_SERVER", "uvicorn")

#: Settings that take the abuse controls out of the way of a load test (they are per-device,
#: per-address and per-app limits meant for citizens, not for a load generator).
FEEDBACK_LOAD_ENV = {
    "FEEDBACK_DEVICE_RATE_LIMIT": "100000000",
    "FEEDBACK_ADDRESS_RATE_LIMIT": "100000000",
    "FEEDBACK_BURST_THRESHOLD": "100000000",
}
GATEWAY_LOAD_ENV = {
    "GATEWAY_APP_KEY_RATE_LIMIT": UNLIMITED,
    "GATEWAY_ADDRESS_RATE_LIMIT": UNLIMITED,
    "GATEWAY_CLIENT_RATE_LIMIT": UNLIMITED,
    # The load generator stands in for an ingress: the gateway believes its X-Forwarded-For,
    # so each simulated citizen reaches the feedback service with an address of its own.
    "GATEWAY_TRUSTED_PROXIES": '["127.0.0.1"]',
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_command(
    app: str, port: int, *, app_dir: Path | None = None, server: str = SERVER, workers: int = 1
) -> list[str]:
    """The command serving the ASGI `app` ("module:attribute") on 127.0.0.1:`port` with
    `server`: `workers` workers, no access log, no proxy headers (as deploy/Procfile)."""
    if server == "granian":
        if not (BIN / "granian").exists():  # compared only, so not among the dependencies
            raise SystemExit("granian is not installed: uv pip install --python .venv granian")
        # One worker is a child process of granian's own (CPU and memory count both).
        where = ["--working-dir", str(app_dir)] if app_dir else []
        return [
            *(str(BIN / "granian"), "--interface", "asgi", "--workers", str(workers), *where),
            *("--host", "127.0.0.1", "--port", str(port), "--no-access-log"),
            *("--log-level", "warning", app),
        ]
    if server != "uvicorn":
        raise SystemExit(f"BENCH_SERVER must be uvicorn or granian, not {server!r}")
    where = ["--app-dir", str(app_dir)] if app_dir else []
    return [
        *(str(BIN / "uvicorn"), app, *where, "--host", "127.0.0.1", "--port", str(port)),
        *("--no-access-log", "--no-proxy-headers", "--log-level", "warning"),
        *(["--workers", str(workers)] if workers > 1 else []),
    ]


def _process_tree(pid: int) -> list[int]:
    """A process and its descendants (a granian server's worker is its child)."""
    tree, index = [pid], 0
    while index < len(tree):
        children = Path(f"/proc/{tree[index]}/task/{tree[index]}/children")
        with contextlib.suppress(OSError):
            tree += [int(child) for child in children.read_text().split()]
        index += 1
    return tree


def rss_kib(pid: int) -> int | None:
    """Resident memory (VmRSS) of a process and its descendants in KiB."""
    total = None
    for member in _process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total = (total or 0) + int(line.split()[1])
        except OSError:
            continue
    return total


def children(pid: int) -> list[int]:
    """Every descendant of a process (uvicorn's workers under its supervisor)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process and its descendants have used (/proc/<pid>/stat)."""
    total = None
    for member in _process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total = (total or 0.0) + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def local_postgres() -> str:
    """The server URL (no database) of the local development cluster
    (deploy/postgres/local.sh, already running), e.g. postgresql+asyncpg://postgres@host:port."""
    out = subprocess.run(
        [str(LOCAL_POSTGRES), "urls"], capture_output=True, text=True, check=True
    ).stdout
    found = re.search(r"FEEDBACK_DATABASE_URL=(\S+)/\w+", out)
    if not found:
        raise SystemExit(f"no PostgreSQL URL in the output of {LOCAL_POSTGRES} urls")
    return found.group(1)


def _asyncpg_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def postgres_execute(url: str, *statements: str) -> None:
    """Run statements outside a transaction (CREATE/DROP DATABASE) at `url`."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(_asyncpg_dsn(url))
        try:
            for statement in statements:
                await conn.execute(statement)
        finally:
            await conn.close()

    asyncio.run(run())


def query(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows of one query against a service database, SQLite (qmark) or PostgreSQL ($1)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.split("///", 1)[1]) as conn:
            return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    import asyncpg

    async def run() -> list[tuple[Any, ...]]:
        conn = await asyncpg.connect(_asyncpg_dsn(url))
        try:
            return [tuple(r) for r in await conn.fetch(sql, *params)]
        finally:
            await conn.close()

    return asyncio.run(run())


@dataclass
class Process:
    name: str
    port: int
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The process and its workers (uvicorn --workers N: a supervisor and N children)."""
        return [self.popen.pid, *children(self.popen.pid)]

    def cpu(self) -> float | None:
        """CPU seconds of the process and its workers."""
        used = [c for c in (cpu_seconds(pid) for pid in self.pids()) if c is not None]
        return sum(used) if used else None

    def rss_mib(self) -> float | None:
        """VmRSS of the largest of its processes (each is held to the same mark)."""
        kib = [k for k in (rss_kib(pid) for pid in self.pids()) if k is not None]
        return round(max(kib) / 1024, 1) if kib else None

    def rss_total_mib(self) -> float | None:
        kib = [k for k in (rss_kib(pid) for pid in self.pids()) if k is not None]
        return round(sum(kib) / 1024, 1) if kib else None


@dataclass
class System:
    """Services of one benchmark run, sharing a broker and a topic namespace."""

    bootstrap: str
    run_dir: Path = field(default_factory=lambda: VAR / uuid.uuid4().hex[:8])
    namespace: str = field(default_factory=lambda: f"bench{uuid.uuid4().hex[:6]}.")
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)
    #: A PostgreSQL server URL (no database): each service gets a fresh database of its own
    #: on it, named after the run, instead of a SQLite file.
    postgres: str | None = None

    def __post_init__(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if self.postgres:
            postgres_execute(
                f"{self.postgres}/postgres",
                *(f'CREATE DATABASE "{self._pg_name(s)}"' for s in SERVICES),
            )

    def _pg_name(self, service: str) -> str:
        return f"bench_{self.run_dir.name}_{service}"

    def database(self, service: str) -> Path:
        """The SQLite file of a service (SQLite runs only)."""
        return self.run_dir / f"{service}.db"

    def url(self, service: str) -> str:
        if self.postgres:
            return f"{self.postgres}/{self._pg_name(service)}"
        return sqlite_url(self.database(service))

    def query(self, service: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows of a query against a service's database (write placeholders as $1, $2...:
        they become ? on SQLite)."""
        if not self.postgres:
            sql = re.sub(r"\$\d+", "?", sql)
        return query(self.url(service), sql, *params)

    def count(self, service: str, sql: str) -> int:
        return int(self.query(service, sql)[0][0])

    def env(self, service: str | None = None) -> dict[str, str]:
        env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "KINERJA_TOPIC_NAMESPACE": self.namespace,
            "KINERJA_LOG_LEVEL": "WARNING",
            **{f"{s.upper()}_DATABASE_URL": self.url(s) for s in SERVICES},
            **self.extra_env,
        }
        return env

    def create_topics(self, *names: str) -> None:
        """Create these event topics in the run's namespace. The broker creates no topic on
        its own (auto-create is off) and a consumer waits until every topic it reads exists,
        so a run without the service that owns a topic must create it (reporting reads
        kinerja.appraisal even when no appraisal service runs)."""
        from kinerja_shared.events.topics import ensure_topics, service_topic
        from kinerja_shared.settings import KafkaSettings

        kafka = KafkaSettings(bootstrap_servers=self.bootstrap, namespace=self.namespace)
        asyncio.run(ensure_topics(kafka, [service_topic(name, kafka) for name in names]))

    def migrate(self, service: str) -> None:
        subprocess.run(
            [str(BIN / f"kinerja-{service}"), "migrate"],
            env=self.env(service),
            check=True,
            capture_output=True,
        )

    def start(self, service: str, env: dict[str, str] | None = None, workers: int = 1) -> Process:
        port = free_port()
        log = self.run_dir / f"{service}.log"
        popen = subprocess.Popen(
            server_command(f"kinerja_{service}.main:app", port, workers=workers),
            env={**self.env(service), **(env or {})},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        process = Process(service, port, popen, log)
        self.processes[service] = process
        wait_ready(process, "/health" if service == "gateway" else "/health/ready")
        return process

    def stop_one(self, name: str) -> None:
        process = self.processes.pop(name)
        process.popen.terminate()
        try:
            process.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.popen.kill()

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            if process.popen.poll() is None:
                process.popen.terminate()
        for process in self.processes.values():
            try:
                process.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.popen.kill()
        self.processes.clear()

    def remove(self) -> None:
        shutil.rmtree(self.run_dir, ignore_errors=True)
        if self.postgres:
            postgres_execute(
                f"{self.postgres}/postgres",
                *(f'DROP DATABASE IF EXISTS "{self._pg_name(s)}" WITH (FORCE)' for s in SERVICES),
            )


def wait_until_up(url: str, timeout: float = 20.0) -> None:
    """Wait until something answers HTTP at `url` (any status)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=0.5)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def wait_ready(process: Process, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(
                f"{process.name} exited: see {process.log}\n" + process.log.read_text()[-3000:]
            )
        try:
            response = httpx.get(process.url + path, timeout=2)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.2)
    raise RuntimeError(f"{process.name} not ready after {timeout} s: {last}")


async def seed_feedback(database: Path | str, points: int = 20) -> list[dict[str, str]]:
    """Units in feedback's directory and service points made by its own use case, in the
    SQLite file `database` or at the database URL `database`.

    The directory normally comes from the appraisal service's events; the benchmark writes
    the rows the unit.upserted handler would, then creates service points with
    ``create_service_point`` (identity None: the system), so their events are in the outbox.
    """
    from kinerja_feedback.directory import service as directory
    from kinerja_feedback.models import messaging
    from kinerja_feedback.service_points import service as point_service
    from kinerja_feedback.service_points.schemas import ServicePointCreate
    from kinerja_feedback.settings import FeedbackSettings
    from kinerja_shared.db import create_engine, session_factory
    from kinerja_shared.events.types.appraisal import UnitUpserted
    from kinerja_shared.outbox import Outbox

    url = database if isinstance(database, str) else sqlite_url(database)
    now = datetime.now(UTC)
    engine = create_engine(url)
    sessions = session_factory(engine)
    settings = FeedbackSettings(database_url=url)
    outbox = Outbox(messaging, source=settings.source)
    made: list[dict[str, str]] = []
    try:
        async with sessions() as session, session.begin():
            for n in range(points):
                unit_id = f"bench-unit-{n:03d}"
                await directory.upsert_unit(
                    session,
                    UnitUpserted(
                        unit_id=unit_id,
                        code=f"BU{n:03d}",
                        name=f"Kelurahan Bench {n}",
                        kind="kelurahan",
                        parent_id=None,
                        active=True,
                    ),
                    now=now,
                )
                point = await point_service.create_service_point(
                    session,
                    outbox,
                    identity=None,
                    now=now,
                    data=ServicePointCreate(
                        name=f"Kantor Lurah Bench {n}",
                        unit_id=unit_id,
                        kind="kelurahan_office",
                        latitude=-8.65,
                        longitude=115.22,
                        service_types=["KTP", "KK"],
                        staff_codes=[],
                    ),
                )
                made.append({"id": point.id, "slug": point.slug, "unit_id": unit_id})
    finally:
        await engine.dispose()
    return made


def feedback_body(slug: str, n: int = 0) -> dict[str, Any]:
    """A valid SKM submission (all nine elements, an overall rating, no comment)."""
    from kinerja_feedback.domain.wita import wita_date

    return {
        "service_point": slug,
        "visit_date": wita_date(datetime.now(UTC)).isoformat(),
        "answers": {f"U{i}": (n + i) % 4 + 1 for i in range(1, 10)},
        "overall_rating": n % 5 + 1,
        "channel": "app",
    }


def python() -> str:
    return sys.executable


def run(coro: Any) -> Any:
    return asyncio.run(coro)
