"""Query latency of a unit's yearly IKM with N feedback loaded (default one million).

Loads N feedback rows (compact read model) and the totals they add up to straight into a
scratch database, then times GET /ikm/units/<root>?period=<year> (the whole tree rolled up)
through the ASGI app. The query reads only totals rows, never feedback rows.

    .venv/bin/python services/reporting/bench/query_latency.py [N] [database-url]
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import insert

from kinerja_reporting.domain.periods import periods_containing
from kinerja_reporting.main import create_app
from kinerja_reporting.models import FEEDBACK, IKM_TOTALS, UNIT
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.auth import issue_token
from kinerja_shared.gateway_assertion import AssertionSigner, GatewayAssertionAuth
from kinerja_shared.settings import DEV_GATEWAY_PRIVATE_KEY

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"
UNITS = 60
CHUNK = 20_000


async def load(app_settings: ReportingSettings, count: int) -> None:
    """Write N feedback rows and their totals (month, quarter, year; point and unit)."""
    app = create_app(app_settings)
    runtime = app.state.runtime
    rng = random.Random(7)
    sums: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0] * 19)
    async with runtime.sessions() as session, session.begin():
        await session.execute(
            insert(UNIT),
            [
                {
                    "unit_id": "root",
                    "code": "ROOT",
                    "name": "Kota",
                    "kind": "other",
                    "parent_id": None,
                }
            ]
            + [
                {
                    "unit_id": f"u{i}",
                    "code": f"U{i}",
                    "name": f"Unit {i}",
                    "kind": "kelurahan",
                    "parent_id": "root",
                }
                for i in range(UNITS)
            ],
        )
    for start in range(0, count, CHUNK):
        rows = []
        for n in range(start, min(count, start + CHUNK)):
            unit = f"u{rng.randrange(UNITS)}"
            scores = [rng.randint(1, 4) for _ in range(9)]
            visit = date(2026, rng.randint(1, 12), rng.randint(1, 28))
            rows.append(
                {
                    "feedback_id": f"f{n}",
                    "service_point_id": f"sp-{unit}",
                    "unit_id": unit,
                    "visit_date": visit,
                    "has_scores": True,
                    "counted": True,
                    "included": True,
                    **{f"u{i + 1}": s for i, s in enumerate(scores)},
                }
            )
            for period in periods_containing(visit):
                for key in (("unit", unit, period.key), ("point", f"sp-{unit}", period.key)):
                    total = sums[key]
                    total[0] += 1
                    for i, s in enumerate(scores):
                        total[1 + i] += s
                        total[10 + i] += 1
        async with runtime.sessions() as session, session.begin():
            await session.execute(insert(FEEDBACK), rows)
    async with runtime.sessions() as session, session.begin():
        await session.execute(
            insert(IKM_TOTALS),
            [
                {
                    "scope": k[0],
                    "scope_id": k[1],
                    "period_key": k[2],
                    "respondents": v[0],
                    **{f"s{i + 1}": v[1 + i] for i in range(9)},
                    **{f"n{i + 1}": v[10 + i] for i in range(9)},
                }
                for k, v in sums.items()
            ],
        )
    await runtime.stop()


async def measure(app_settings: ReportingSettings, runs: int = 50) -> list[float]:
    """Latencies (ms) of the yearly IKM of the root unit."""
    app = create_app(app_settings)
    headers = {
        "Authorization": "Bearer "
        + issue_token(app_settings.auth, subject="bench", roles=["analyst"])
    }
    # The service answers only what the gateway signed (development key, as in the tests).
    auth = GatewayAssertionAuth(
        AssertionSigner(DEV_GATEWAY_PRIVATE_KEY, ttl_seconds=30), service="reporting"
    )
    timings = []
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://r", auth=auth
        ) as client,
    ):
        for _ in range(runs):
            started = time.perf_counter()
            response = await client.get(
                "/api/v1/reporting/ikm/units/root", params={"period": "2026"}, headers=headers
            )
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text
        body = response.json()
    print(f"respondents {body['respondents']}, IKM {body['ikm']} band {body['band']}")
    return timings


def main() -> None:
    """Load, then time the query."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    url = (
        sys.argv[2]
        if len(sys.argv) > 2
        else (f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/reporting-bench.db")
    )
    settings = ReportingSettings(database_url=url, run_relay=False, run_consumers=False)
    upgrade_head(str(ALEMBIC_INI), url)
    started = time.perf_counter()
    asyncio.run(load(settings, count))
    print(f"loaded {count} feedback in {time.perf_counter() - started:.1f} s")
    timings = asyncio.run(measure(settings))
    p95 = sorted(timings)[int(len(timings) * 0.95)]
    print(
        f"yearly IKM of the root unit ({UNITS} subunits): median "
        f"{statistics.median(timings):.1f} ms, p95 {p95:.1f} ms"
    )


if __name__ == "__main__":
    main()
