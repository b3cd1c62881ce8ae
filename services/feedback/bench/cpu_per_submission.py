"""CPU time and SQL statements per feedback submission, in process (no server, no gateway).

    .venv/bin/python services/feedback/bench/cpu_per_submission.py [--requests 400]
        [--database-url postgresql+asyncpg://...] [--same-address] [--profile]

Builds the real app (create_app, relay and consumers off) on a fresh SQLite file (or an
already migrated, empty database given by --database-url), creates 20 service points
through the service's own use case, warms up, then drives POST /api/v1/feedback/feedback
sequentially through httpx's ASGITransport. CPU is ``time.process_time`` (the machine is
shared: wall clock is reported too but is not the figure to compare). Statements are
counted with a ``before_cursor_execute`` listener on the app's engine.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"
LOAD_ENV = {
    "FEEDBACK_DEVICE_RATE_LIMIT": "100000000",
    "FEEDBACK_ADDRESS_RATE_LIMIT": "100000000",
    "FEEDBACK_BURST_THRESHOLD": "100000000",
}


def body(slug: str, n: int) -> dict[str, Any]:
    from kinerja_feedback.domain.wita import wita_date

    return {
        "service_point": slug,
        "visit_date": wita_date(datetime.now(UTC)).isoformat(),
        "answers": {f"U{i}": (n + i) % 4 + 1 for i in range(1, 10)},
        "overall_rating": n % 5 + 1,
        "channel": "app",
        **({"comment": "Pelayanan cepat, petugas ramah. Terima kasih."} if n % 4 == 0 else {}),
    }


async def seed(app: Any, points: int) -> list[str]:
    from kinerja_feedback.directory import service as directory
    from kinerja_feedback.service_points import service as point_service
    from kinerja_feedback.service_points.schemas import ServicePointCreate
    from kinerja_shared.events.types.appraisal import UnitUpserted

    runtime = app.state.runtime
    now = datetime.now(UTC)
    slugs = []
    async with runtime.sessions() as session, session.begin():
        for n in range(points):
            unit_id = f"bench-unit-{n:03d}"
            await directory.upsert_unit(
                session,
                UnitUpserted(unit_id=unit_id, code=unit_id, name=f"Unit {n}", kind="kelurahan"),
                now=now,
            )
            point = await point_service.create_service_point(
                session,
                runtime.outbox,
                identity=None,
                data=ServicePointCreate(
                    name=f"Bench point {n}", unit_id=unit_id, slug=f"bench-{uuid.uuid4().hex[:8]}"
                ),
                now=now,
            )
            slugs.append(point.slug)
    return slugs


async def drive(requests: int, same_address: bool, profile: bool) -> dict[str, float]:
    from kinerja_feedback.main import create_app
    from kinerja_shared.gateway_assertion import (
        CLIENT_ADDRESS_EXTENSION,
        AssertionSigner,
        GatewayAssertionAuth,
    )
    from kinerja_shared.settings import DEV_GATEWAY_PRIVATE_KEY

    app = create_app()
    statements = [0]
    engine = app.state.runtime.engine.sync_engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        statements[0] += 1

    async with app.router.lifespan_context(app):
        slugs = await seed(app, 20)
        transport = httpx.ASGITransport(app=app)
        # The service answers only what the gateway signed (development key, as in the tests).
        auth = GatewayAssertionAuth(
            AssertionSigner(DEV_GATEWAY_PRIVATE_KEY, ttl_seconds=30), service="feedback"
        )
        async with httpx.AsyncClient(
            transport=transport, base_url="http://feedback", auth=auth
        ) as client:

            async def one(n: int) -> None:
                spread = f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"
                address = "10.9.9.9" if same_address else spread
                r = await client.post(
                    "/api/v1/feedback/feedback",
                    json=body(slugs[n % len(slugs)], n),
                    headers={
                        "Idempotency-Key": str(uuid.uuid4()),
                        "X-Device-Id": uuid.uuid4().hex,
                    },
                    extensions={CLIENT_ADDRESS_EXTENSION: address},
                )
                assert r.status_code == 201, r.text

            for n in range(50):
                await one(n)
            statements[0] = 0
            profiler = cProfile.Profile()
            cpu, wall = time.process_time(), time.perf_counter()
            if profile:
                profiler.enable()
            for n in range(50, 50 + requests):
                await one(n)
            if profile:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profile:
        stats = pstats.Stats(profiler)
        by_package: dict[str, float] = {}
        raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
        for (filename, _line, _name), (_cc, _calls, tottime, _ct, _callers) in raw.items():
            parts = filename.split("site-packages/")
            key = parts[1].split("/")[0] if len(parts) > 1 else filename.split("/src/")[-1]
            by_package[key] = by_package.get(key, 0.0) + tottime
        for key, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[:20]:
            print(f"{seconds / requests * 1000:8.3f} ms/request  {key}")
        stats.sort_stats("tottime").print_stats(30)
    return {
        "cpu_ms_per_submission": cpu / requests * 1000,
        "wall_ms_per_submission": wall / requests * 1000,
        "statements_per_submission": statements[0] / requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--same-address", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.update(LOAD_ENV)
    os.environ.setdefault("KINERJA_LOG_LEVEL", "WARNING")
    os.environ["FEEDBACK_RUN_RELAY"] = "false"
    os.environ["FEEDBACK_RUN_CONSUMERS"] = "false"
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/feedback.db"
        os.environ["FEEDBACK_DATABASE_URL"] = url
        if args.database_url is None:
            from kinerja_shared.alembic_env import upgrade_head

            upgrade_head(str(ALEMBIC_INI), url)
        result = asyncio.run(drive(args.requests, args.same_address, args.profile))
    for name, value in result.items():
        print(f"{name:28s} {value:8.2f}")


if __name__ == "__main__":
    main()
