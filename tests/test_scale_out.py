"""Scale-out on one machine: two instances of every service behind the gateway, one of each
stopped in the middle of the load, and the books still balance.

Each service runs twice (two uvicorn servers sharing the service's database and consumer
groups, so two outbox relays and a two-member consumer group per consuming service). Citizens
submit a couple of thousand feedback forms and BKPSDM creates and renames a few hundred
employees, all through the gateway, while the first instance of each service is stopped.
Then the counts are reconciled against the source databases and the topics:

- every accepted (2xx) submission is counted exactly once: the unit's IKM respondents in
  reporting = the counted feedback rows in the feedback database = the 2xx receipts;
- every event was delivered: each service's outbox is entirely marked sent, and the distinct
  event ids on its topic are exactly its outbox's event ids (a repeated record is allowed only
  as an at-least-once redelivery: the same event, byte for byte); reporting applied every
  submission event once (its inbox holds each id, and the IKM counts each once).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from kinerja_feedback.models import Feedback
from kinerja_gateway.settings import DEV_APP_KEY, RateLimit
from kinerja_shared.auth import issue_token
from kinerja_shared.runtime import ServiceRuntime
from kinerja_shared.settings import KafkaSettings
from kinerja_shared.stream.reader import TopicReader
from support.common import eventually
from support.notes_service import namespace_of, unique
from support.system import running_system

pytestmark = pytest.mark.kafka
__all__ = ["unique"]


#: The load; `KINERJA_SCALE_OUT_SUBMISSIONS=2000` (and so on) for a heavier run.
SUBMISSIONS = int(os.environ.get("KINERJA_SCALE_OUT_SUBMISSIONS", "1000"))
EMPLOYEES = int(os.environ.get("KINERJA_SCALE_OUT_EMPLOYEES", "200"))
RENAMES = int(os.environ.get("KINERJA_SCALE_OUT_RENAMES", "100"))
#: Concurrent requests in flight (citizens, and BKPSDM's import).
FEEDBACK_CONCURRENCY = 8
APPRAISAL_CONCURRENCY = 3
#: Statuses after which a client tries again (the app keeps its idempotency key).
RETRYABLE = {502, 503, 504}
UNLIMITED = RateLimit(per_minute=10_000_000, burst=1_000_000)
SERVICES = ("appraisal", "feedback", "reporting")


def nip(n: int) -> str:
    """A valid NIP (born 1985-01-15, CPNS 2008-01, male), sequence `n` (1-999)."""
    return f"198501152008011{n:03d}"


@dataclass
class Tally:
    """What the clients saw."""

    accepted: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    retries: int = 0
    employees: list[dict[str, Any]] = field(default_factory=list)
    renamed: int = 0


async def send(
    api: httpx.AsyncClient, tally: Tally, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """One request, tried again (same headers, same idempotency key) while the gateway says
    the service could not be reached."""
    for attempt in range(8):
        try:
            response = await api.request(method, url, **kwargs)
        except httpx.TransportError:
            tally.retries += 1
            await asyncio.sleep(0.05 * (attempt + 1))
            continue
        tally.statuses[response.status_code] += 1
        if response.status_code not in RETRYABLE:
            return response
        tally.retries += 1
        await asyncio.sleep(0.05 * (attempt + 1))
    return response


async def count(runtime: ServiceRuntime, statement: Any) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(statement) or 0)


async def outbox_rows(runtime: ServiceRuntime) -> list[Any]:
    outbox = runtime.tables.outbox
    async with runtime.sessions() as session:
        result = await session.execute(
            select(outbox.c.topic, outbox.c.event_id, outbox.c.event_type, outbox.c.sent_at)
        )
        return list(result.all())


def overrides() -> dict[str, Any]:
    # Quieter logs (an access line per request per hop costs more CPU than the counting).
    pool = {"database_pool_size": 4, "database_max_overflow": 8, "log_level": "WARNING"}
    return {
        "appraisal": pool,
        "feedback": {
            **pool,
            # Every citizen comes through the gateway from 127.0.0.1: no address limits,
            # no burst suspicion (distinct device ids keep duplicate detection quiet).
            "address_rate_limit": 10_000_000,
            "burst_threshold": 10_000_000,
            "device_rate_limit": 1000,
        },
        "reporting": pool,
        "gateway": {
            "client_rate_limit": UNLIMITED,
            "app_key_rate_limit": UNLIMITED,
            "address_rate_limit": UNLIMITED,
            "log_level": "WARNING",
        },
    }


async def setup_unit(api: httpx.AsyncClient, admin: dict[str, str], unique: str) -> Any:
    """A kelurahan with two front-desk staff and a service point (once feedback knows them)."""
    unit_response = await api.post(
        "/api/v1/appraisal/units",
        json={"code": "KEL-PEMECUTAN", "name": "Kelurahan Pemecutan", "kind": "kelurahan"},
        headers=admin,
    )
    assert unit_response.status_code == 201, unit_response.text
    unit = unit_response.json()
    staff = []
    for n in (1, 2):
        body = {
            "nip": nip(n),
            "name": f"Pegawai Loket {n}",
            "kind": "pns",
            "position": "Pengadministrasi Umum",
            "unit_id": unit["id"],
        }
        response = await api.post("/api/v1/appraisal/employees", json=body, headers=admin)
        assert response.status_code == 201, response.text
        staff.append(response.json())
    point_body = {
        "unit_id": unit["id"],
        "name": "Kantor Kelurahan Pemecutan",
        "kind": "kelurahan_office",
        "slug": f"pemecutan-{unique}",
        "service_types": ["surat keterangan"],
        "staff_codes": [s["staff_code"] for s in staff],
    }
    point: dict[str, Any] = {}

    async def point_created() -> bool:
        response = await api.post("/api/v1/feedback/service-points", json=point_body, headers=admin)
        point.update(response.json() if response.status_code == 201 else {})
        return response.status_code == 201

    await eventually(point_created, timeout=60, message="feedback never learnt the unit")
    return unit, staff, point


async def test_two_instances_of_every_service_lose_and_double_nothing_when_one_stops(
    tmp_path: Path, kafka_bootstrap: str, unique: str
) -> None:
    namespace = namespace_of(unique)
    started = time.monotonic()
    today = date.today()
    async with (
        running_system(tmp_path, kafka_bootstrap, namespace, instances=2, **overrides()) as system,
        system.client(limits=httpx.Limits(max_connections=64)) as api,
    ):
        auth = system.settings["gateway"].auth
        admin = {
            "Authorization": "Bearer "
            + issue_token(auth, subject="bkpsdm", roles=("bkpsdm_admin", "analyst"))
        }
        unit, staff, point = await setup_unit(api, admin, unique)
        tally = Tally()
        halfway = asyncio.Event()
        stopped: list[str] = []
        accepted_at_stop: list[int] = []

        async def submit(n: int, gate: asyncio.Semaphore) -> None:
            body = {
                "service_point": point["slug"],
                "staff_code": staff[n % 2]["staff_code"],
                "visit_date": str(today),
                "channel": "app",
                "answers": {f"U{i}": 1 + (i + n) % 4 for i in range(1, 10)},
                "overall_rating": 1 + n % 5,
            }
            headers = {
                "X-App-Key": DEV_APP_KEY,
                "Idempotency-Key": str(uuid.uuid4()),
                "X-Device-Id": f"device-{unique}-{n}",
            }
            async with gate:
                response = await send(
                    api, tally, "POST", "/api/v1/feedback/feedback", json=body, headers=headers
                )
            if response.is_success:
                tally.accepted.add(response.json()["feedback_id"])
            if len(tally.accepted) >= SUBMISSIONS // 2:
                halfway.set()

        async def employee(n: int, gate: asyncio.Semaphore) -> None:
            body = {
                "nip": nip(n),
                "name": f"Pegawai {n}",
                "kind": "pns",
                "position": "Analis Kebijakan",
                "unit_id": unit["id"],
            }
            async with gate:
                response = await send(
                    api, tally, "POST", "/api/v1/appraisal/employees", json=body, headers=admin
                )
                # 409 only when a retried create had reached the service the first time.
                assert response.status_code in (201, 409), response.text
                if response.status_code == 201:
                    tally.employees.append(response.json())

        async def rename(found: dict[str, Any], gate: asyncio.Semaphore) -> None:
            async with gate:
                response = await send(
                    api,
                    tally,
                    "PATCH",
                    f"/api/v1/appraisal/employees/{found['id']}",
                    json={"name": found["name"] + " (mutasi)"},
                    headers=admin,
                )
            assert response.status_code == 200, response.text
            tally.renamed += 1

        async def appraisal_load() -> None:
            gate = asyncio.Semaphore(APPRAISAL_CONCURRENCY)
            await asyncio.gather(*(employee(3 + n, gate) for n in range(EMPLOYEES)))
            await asyncio.gather(*(rename(e, gate) for e in tally.employees[:RENAMES]))

        async def feedback_load() -> None:
            gate = asyncio.Semaphore(FEEDBACK_CONCURRENCY)
            await asyncio.gather(*(submit(n, gate) for n in range(SUBMISSIONS)))

        async def stop_first_instances() -> None:
            await halfway.wait()
            # Stopped together, while both loads keep running through the gateway; a stop
            # that never ends (a shutdown hanging) fails here rather than at the test timeout.
            try:
                async with asyncio.timeout(60):
                    await asyncio.gather(*(system.stop_instance(name, 0) for name in SERVICES))
            except TimeoutError:
                pytest.fail("an instance did not stop within 60 s")
            stopped.extend(SERVICES)
            accepted_at_stop.append(len(tally.accepted))

        load_started = time.monotonic()
        await asyncio.gather(feedback_load(), appraisal_load(), stop_first_instances())
        load_seconds = time.monotonic() - load_started
        assert stopped == list(SERVICES)
        # The instances went away in the middle: the survivors took the rest of the load.
        assert accepted_at_stop[0] < SUBMISSIONS, accepted_at_stop

        # -- what the clients saw: every submission accepted in the end (retries keep keys)
        assert len(tally.accepted) == SUBMISSIONS, tally.statuses
        assert tally.renamed == RENAMES

        survivors = {name: system.instance_runtimes[name][1] for name in SERVICES}
        feedback_db = survivors["feedback"]

        # -- the submissions: counted rows in feedback, respondents in reporting
        counted = await count(
            feedback_db,
            select(func.count())
            .select_from(Feedback)
            .where(Feedback.unit_id == unit["id"], Feedback.counted.is_(True)),  # type: ignore[arg-type]
        )
        stored = await count(feedback_db, select(func.count()).select_from(Feedback))
        respondents: dict[str, int] = {}

        async def reporting_caught_up() -> bool:
            response = await api.get(
                f"/api/v1/reporting/ikm/units/{unit['id']}",
                params={"period": str(today.year)},
                headers=admin,
            )
            if response.status_code != 200:
                return False
            respondents["ikm"] = response.json()["respondents"]
            return bool(respondents["ikm"] >= counted)

        await eventually(
            reporting_caught_up, timeout=90, interval=0.5, message="reporting fell behind"
        )

        # -- every event out: each service's outbox entirely sent (by the surviving relay too)
        async def outboxes_drained() -> bool:
            for runtime in survivors.values():
                if any(row.sent_at is None for row in await outbox_rows(runtime)):
                    return False
            return True

        await eventually(outboxes_drained, timeout=60, interval=0.25, message="outbox not sent")
        outboxes = {name: await outbox_rows(runtime) for name, runtime in survivors.items()}

        reporting_inbox = survivors["reporting"].tables.inbox
        async with survivors["reporting"].sessions() as session:
            applied = set(
                (
                    await session.execute(
                        select(reporting_inbox.c.event_id).where(
                            reporting_inbox.c.event_type.like("%feedback.submitted%")
                        )
                    )
                ).scalars()
            )
        dead_lettered = sum(
            consumer.stats.dead_lettered
            for runtimes in system.instance_runtimes.values()
            for runtime in runtimes
            for consumer in runtime.consumers
        )
        relays = {
            name: [r.relay.stats.published for r in runtimes]
            for name, runtimes in system.instance_runtimes.items()
        }
        consumed = {
            name: [sum(c.stats.processed for c in r.consumers) for r in runtimes]
            for name, runtimes in system.instance_runtimes.items()
        }

    # -- the topics, read from the beginning after everything stopped
    on_topic: dict[str, dict[str, set[bytes]]] = defaultdict(lambda: defaultdict(set))
    records: Counter[str] = Counter()
    topics = sorted({namespace + row.topic for rows in outboxes.values() for row in rows})
    async with TopicReader(KafkaSettings(bootstrap_servers=kafka_bootstrap), topics) as reader:
        start, stop = await reader.range_bounds(None, None)
        async for record in reader.read_range(start, stop):
            records[record.topic] += 1
            on_topic[record.topic][record.event.id].add(record.event.model_dump_json().encode())

    submitted_events = {
        row.event_id for row in outboxes["feedback"] if row.event_type.endswith("submitted.v1")
    }
    summary = {
        "accepted_2xx": len(tally.accepted),
        "feedback_rows": stored,
        "counted_rows": counted,
        "ikm_respondents": respondents["ikm"],
        "reporting_applied_submissions": len(applied & submitted_events),
        "client_retries": tally.retries,
        "statuses": dict(tally.statuses),
        "employees_created": len(tally.employees),
        "renamed": tally.renamed,
        "outbox_rows": {name: len(rows) for name, rows in outboxes.items()},
        "topic_records": dict(records),
        "accepted_when_stopped": accepted_at_stop[0],
        "published_per_relay": relays,
        "consumed_per_instance": consumed,
        "dead_lettered": dead_lettered,
        "load_seconds": round(load_seconds, 1),
        "total_seconds": round(time.monotonic() - started, 1),
    }
    print("scale-out reconciliation:", summary)  # shown with -s, and on failure

    # Exactly once: accepted = stored = counted = respondents = applied.
    assert stored == counted == len(tally.accepted), summary
    assert respondents["ikm"] == counted, summary
    assert len(submitted_events) == SUBMISSIONS, summary
    assert applied >= submitted_events, summary
    assert dead_lettered == 0, summary
    # Two relays per service and a two-member group per consuming service ran; how the work
    # split between them depends on partition assignment and timing, so only the totals are
    # asserted: together they published every row and applied every event.
    for name in SERVICES:
        assert len(relays[name]) == 2, summary
        assert sum(relays[name]) >= len(outboxes[name]), summary
    for name in ("appraisal", "reporting"):
        assert len(consumed[name]) == 2, summary
        assert sum(consumed[name]) > 0, summary
    # Every event delivered; repeats only as redeliveries of the very same event.
    for name, rows in outboxes.items():
        assert rows, name
        assert all(row.sent_at is not None for row in rows), name
        for topic in {namespace + row.topic for row in rows}:
            expected = {row.event_id for row in rows if namespace + row.topic == topic}
            found = on_topic[topic]
            assert set(found) == expected, f"{name}: {len(set(found) ^ expected)} ids differ"
            changed = [event_id for event_id, copies in found.items() if len(copies) > 1]
            assert changed == [], f"{topic}: events re-emitted with different content"
