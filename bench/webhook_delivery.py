"""Webhook delivery rate: events/s one delivery worker sends, signed, to a local receiver,
against bare httpx POSTs of the same bodies to the same receiver.

    .venv/bin/python bench/webhook_delivery.py [--events 5000] [--keys 500] [--database-url URL]

A backlog of deliveries (one subscription, events spread over `--keys` event keys) is put in
the webhooks database as the consumer would; then one `DeliveryWorker` claims, signs (the
standardwebhooks library), POSTs and settles them until none is left. The receiver is a bare
ASGI app answering 204 in a uvicorn process of its own. Baseline, in the same run: an
httpx.AsyncClient POSTing the same bodies to the same receiver, as many at once as the worker
sends (`delivery_batch`), with no database, signature or settling. No Kafka is involved (the
consumer's part is the reporting-style consumer the other benchmarks measure).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from common import ROOT, Stopwatch, write_result

from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.events.types.feedback import FeedbackSubmitted
from kinerja_webhooks.deliveries import service
from kinerja_webhooks.deliveries.worker import DeliveryWorker
from kinerja_webhooks.domain.states import ACTIVE
from kinerja_webhooks.models import Subscription
from kinerja_webhooks.runtime import WebhooksRuntime
from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import new_secret

ALEMBIC_INI = ROOT / "services" / "webhooks" / "alembic.ini"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_receiver(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "webhook_receiver:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=Path(__file__).parent,
    )
    for _ in range(200):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.1):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the receiver did not start")


def events(count: int, keys: int) -> list[FeedbackSubmitted]:
    return [
        FeedbackSubmitted.model_validate(
            {
                "feedback_id": f"f-{n % keys}",
                "service_point_id": str(uuid.uuid4()),
                "unit_id": "u1",
                "visit_date": "2026-03-01",
                "channel": "app",
                "answers": {f"U{i}": (n + i) % 4 + 1 for i in range(1, 10)},
                "counted": True,
                "submitted_at": "2026-03-01T02:00:00Z",
            }
        )
        for n in range(count)
    ]


async def backlog(runtime: WebhooksRuntime, url: str, count: int, keys: int) -> list[str]:
    """One subscription and `count` deliveries for it, as the consumer stores them."""
    now = datetime.now(UTC)
    cloud = [e.to_event(source="/kinerja/feedback") for e in events(count, keys)]
    async with runtime.sessions() as session, session.begin():
        session.add(
            Subscription(
                id=str(uuid.uuid4()),
                owner="bench",
                target_url=url,
                event_types=["*"],
                secret_encrypted=runtime.secret_box.seal(new_secret()),
                status=ACTIVE,
                created_at=now,
                updated_at=now,
            )
        )
    for start in range(0, count, 1000):
        async with runtime.sessions() as session, session.begin():
            await service.enqueue(session, cloud[start : start + 1000], now=now)
    return [e.model_dump_json() for e in cloud]


async def baseline(url: str, bodies: list[str], concurrency: int) -> float:
    async with httpx.AsyncClient(timeout=10) as client:
        with Stopwatch() as watch:
            for start in range(0, len(bodies), concurrency):
                responses = await asyncio.gather(
                    *(
                        client.post(
                            url, content=b.encode(), headers={"content-type": "application/json"}
                        )
                        for b in bodies[start : start + concurrency]
                    )
                )
                assert all(r.status_code == 204 for r in responses)
    return watch.seconds


async def main(count: int, keys: int, database_url: str, port: int) -> dict[str, object]:
    await asyncio.to_thread(upgrade_head, str(ALEMBIC_INI), database_url)
    settings = WebhooksSettings(database_url=database_url, run_consumers=False)
    runtime = WebhooksRuntime(settings)
    url = f"http://127.0.0.1:{port}/hooks"
    try:
        bodies = await backlog(runtime, url, count, keys)
        base_seconds = await baseline(url, bodies, settings.delivery_batch)
        worker: DeliveryWorker = runtime.worker
        with Stopwatch() as delivering:
            while await worker.run_once():
                pass
        assert worker.stats.delivered == count, worker.stats
    finally:
        await runtime.stop()
    return {
        "events": count,
        "event_keys": keys,
        "database": runtime.engine.dialect.name,
        "delivery_batch": settings.delivery_batch,
        "worker_seconds": round(delivering.seconds, 3),
        "worker_events_per_second": round(count / delivering.seconds),
        "baseline_bare_httpx_events_per_second": round(count / base_seconds),
        "ratio_to_baseline": round(base_seconds / delivering.seconds, 3),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--database-url", default=os.environ.get("KINERJA_TEST_DATABASE_URL"))
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/webhooks.db"
    port = free_port()
    receiver = start_receiver(port)
    try:
        figures = asyncio.run(main(args.events, args.keys, url, port))
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    path = write_result("webhook_delivery", figures)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(f"written to {path.relative_to(ROOT)}")
