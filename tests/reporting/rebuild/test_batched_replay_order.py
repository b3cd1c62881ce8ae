"""The rebuild's batch path leaves every read model exactly as applying the events one by one.

A random history mixes what a rebuild replays: units, employees (v1 and v2 events) and
service points changed several times, final assessments finalised again, objection
decisions seen before and after their assessment, feedback with its moderations and
withdrawals, service-user reports. It goes through the consumer twice on the same database:
one event per transaction (``ConsumerRunner.handle``, the single-event handlers) and in
chunks of random sizes (``handle_many``, consecutive events of a batch handler folded: the
rebuild's path). Every read-model table must be identical, so a batch that applied a key's
events out of order (an older state winning, an objection's predikat overwritten) fails.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from aiokafka import ConsumerRecord
from reporting.feeding import (
    NOW,
    as_event,
    feedback,
    moderated,
    service_point,
    service_users,
    unit,
    withdrawn,
)
from sqlalchemy import select

from kinerja_reporting.handlers import register_handlers
from kinerja_reporting.models import DIRECTORY_VERSION, FEEDBACK, READ_MODELS
from kinerja_reporting.models import metadata as reporting_metadata
from kinerja_reporting.projections.context import Projection
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.consumer import ConsumerRunner, EventRouter
from kinerja_shared.events.catalogue import CATALOGUE, EventPayload
from kinerja_shared.events.topics import TopicSpec
from kinerja_shared.events.types.appraisal import (
    AssessmentFinalized,
    EmployeeUpserted,
    EmployeeUpsertedV1,
    ObjectionDecided,
)
from kinerja_shared.runtime import ServiceRuntime
from support.database import empty_tables

UNITS = ("u1", "u2", "u3")
RATINGS = ("di_atas", "sesuai", "di_bawah")
PREDIKATS = ("sangat_baik", "baik", "butuh_perbaikan", "kurang")


def _employee(rng: random.Random, n: int) -> EmployeeUpserted | EmployeeUpsertedV1:
    common: dict[str, Any] = {
        "employee_id": f"e{n}",
        "staff_code": f"S{n}-{rng.randint(0, 9)}",
        "kind": "pns",
        "position": "Analis",
        "unit_id": rng.choice(UNITS),
        "supervisor_id": rng.choice((None, "e0", "e1")),
        "active": rng.random() < 0.8,
    }
    if rng.random() < 0.3:
        return EmployeeUpsertedV1(display_name="Old Name", **common)
    return EmployeeUpserted(**common)


def _assessment(rng: random.Random, n: int) -> AssessmentFinalized:
    return AssessmentFinalized(
        assessment_id=f"a{n}",
        employee_id=f"e{n}",
        unit_id=rng.choice(UNITS),
        appraiser_id=rng.choice(("e0", "e1")),
        period_id="p2025",
        period_key="2025",
        period_kind="annual",
        hasil=rng.choice(RATINGS),
        perilaku=rng.choice(RATINGS),
        predikat=rng.choice(PREDIKATS),
        finalized_at=NOW,
    )


def _objection(rng: random.Random, n: int) -> ObjectionDecided:
    return ObjectionDecided(
        objection_id=f"o{n}-{rng.randint(0, 99)}",
        assessment_id=f"a{n}",
        employee_id=f"e{n}",
        unit_id=rng.choice(UNITS),
        period_key="2025",
        decision=rng.choice(("upheld", "changed")),
        original_predikat=rng.choice(PREDIKATS),
        final_predikat=rng.choice(PREDIKATS),
        final_hasil=rng.choice(RATINGS),
        final_perilaku=rng.choice(RATINGS),
        decided_by="e0",
        decided_at=NOW,
    )


def _history(rng: random.Random, count: int) -> list[EventPayload]:
    """Runs of directory and assessment events (as a rebuild meets them) among the rest."""
    events: list[EventPayload] = []
    submitted: list[Any] = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            parent = rng.choice((None, "u1"))
            events.append(unit(rng.choice(UNITS), parent, name=f"Unit {rng.randint(0, 9)}"))
        elif roll < 0.35:
            events.append(_employee(rng, rng.randint(0, 5)))
        elif roll < 0.45:
            sp = service_point(f"sp{rng.randint(0, 3)}", rng.choice(UNITS))
            events.append(sp.model_copy(update={"name": f"Loket {rng.randint(0, 9)}"}))
        elif roll < 0.65:  # finalised again at once: the latest must win, objection or not
            n = rng.randint(0, 5)
            events.extend(_assessment(rng, n) for _ in range(rng.randint(1, 3)))
        elif roll < 0.72:
            events.append(_objection(rng, rng.randint(0, 5)))
        elif roll < 0.75:
            events.append(service_users(rng.choice(UNITS), "2026-03", rng.randint(1, 50)))
        elif roll < 0.9 or not submitted:
            fb = feedback(
                f"sp{rng.randint(0, 3)}",
                rng.choice(UNITS),
                {f"U{i}": rng.randint(1, 4) for i in range(1, 10)},
                visit=date(2026, 3, rng.randint(1, 28)),
                employee_id=rng.choice((None, "e1", "e2")),
            )
            submitted.append(fb)
            events.append(fb)
        elif rng.random() < 0.5:
            events.append(withdrawn(rng.choice(submitted)))
        else:
            events.append(moderated(rng.choice(submitted), counted=rng.random() < 0.5))
    return events


def _records(events: list[EventPayload], namespace: str) -> list[ConsumerRecord[bytes, bytes]]:
    """One partition holding the whole history, in order (the strictest case)."""
    records: list[ConsumerRecord[bytes, bytes]] = []
    for offset, payload in enumerate(events):
        entry = CATALOGUE.get(as_event(payload).type)
        assert entry is not None
        value = as_event(payload).to_json()
        records.append(
            ConsumerRecord(
                namespace + entry.topic, 0, offset, 0, 0, b"k", value, None, 1, len(value), []
            )
        )
    return records


async def _tables(runtime: ServiceRuntime) -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with runtime.sessions() as session:
        for table in READ_MODELS:
            columns = [
                c
                for c in table.c
                # a random token, and the moment of each run's transaction
                if not (table is DIRECTORY_VERSION and c.name == "version")
                and not (table is FEEDBACK and c.name == "applied_at")
            ]
            rows = (await session.execute(select(*columns))).all()
            found[table.name] = sorted((tuple(r) for r in rows), key=repr)
    return found


@pytest.mark.parametrize("seed", [21, 22, 23, 24])
async def test_a_history_applied_in_chunks_leaves_the_tables_of_one_event_at_a_time(
    runtime: ServiceRuntime, settings: ReportingSettings, seed: int
) -> None:
    rng = random.Random(seed)
    history = _history(rng, 300)
    records = _records(history, settings.kafka.namespace)

    def runner(batch: int) -> ConsumerRunner:
        projection = Projection(settings=settings, outbox=runtime.outbox, publish=False)
        return ConsumerRunner(
            group_id=settings.consumer_group,
            topics=[],
            router=register_handlers(EventRouter(), projection),
            sessions=runtime.sessions,
            tables=runtime.tables,
            kafka=settings.kafka,
            dead_letter=TopicSpec(name="unused", partitions=1),
            max_attempts=1,
            transaction_batch=batch,
        )

    one = runner(1)
    for record in records:
        await one.handle(record)
    one_by_one = await _tables(runtime)
    assert one.stats.processed == len(records)

    await empty_tables(settings.database_url, reporting_metadata)
    start, applied = 0, 0
    while start < len(records):
        size = rng.choice((2, 9, 40, 300))
        chunks = runner(size)
        await chunks.handle_many(records[start : start + size])
        start, applied = start + size, applied + chunks.stats.processed
    assert applied == len(records), "the inbox was not emptied between the runs"
    chunked = await _tables(runtime)

    assert chunked == one_by_one
    assert one_by_one["assessment"], "no assessment"
    assert any(row[-2] is not None for row in one_by_one["assessment"]), "no objection"
    assert len(one_by_one["employee"]) > 3
