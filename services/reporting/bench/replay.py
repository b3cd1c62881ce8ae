"""Replay speed: the reporting rebuild against a plain consume+decode of the same topics.

Produces a directory (60 units, service points, 3,000 employees) and N feedback events
(default 100,000: submissions, a third naming an employee, with some moderations and
withdrawals) to a fresh topic namespace with a fast pipelined producer, then in the same
run times:

- plain: a consumer without a group reading every partition to the end, decoding each
  record as a CloudEvent and parsing its payload (CATALOGUE.parse), nothing else;
- one by one: the first ONE_BY_ONE records applied with ``ConsumerRunner.handle`` (one
  transaction per event, as before the batch handlers), into a scratch database;
- rebuild: ``kinerja_reporting.rebuild.service.rebuild`` (large fetches, transactions of
  CHUNK records, feedback folded by the batch handler) into an empty database.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092 .venv/bin/python services/reporting/bench/replay.py \\
        [N] [database-url]
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import delete

from kinerja_reporting.handlers import register_handlers
from kinerja_reporting.models import READ_MODELS
from kinerja_reporting.projections.context import Projection
from kinerja_reporting.rebuild.schemas import RebuildProgress
from kinerja_reporting.rebuild.service import rebuild
from kinerja_reporting.runtime import create_runtime
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.alembic_env import upgrade_head
from kinerja_shared.consumer import ConsumerRunner, EventRouter
from kinerja_shared.events.catalogue import CATALOGUE, EventPayload
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    dead_letter_spec,
    ensure_topics,
    service_topic,
)
from kinerja_shared.events.types.appraisal import EmployeeUpserted, UnitUpserted
from kinerja_shared.events.types.feedback import (
    FeedbackModerated,
    FeedbackSubmitted,
    FeedbackWithdrawn,
    ServicePointUpserted,
)
from kinerja_shared.kafka_client import client_options
from kinerja_shared.relay import new_producer
from kinerja_shared.settings import KafkaSettings

ALEMBIC_INI = Path(__file__).resolve().parents[1] / "alembic.ini"
UNITS = 60
EMPLOYEES = 3000
ONE_BY_ONE = 2000
NOW = datetime(2026, 6, 30, tzinfo=UTC)


def history(count: int) -> list[EventPayload]:
    """Directory events, then ``count`` feedback events (seeded)."""
    rng = random.Random(11)
    events: list[EventPayload] = []
    for n in range(UNITS):
        events.append(
            UnitUpserted(
                unit_id=f"unit-{n:03d}",
                code=f"U{n:03d}",
                name=f"Unit {n}",
                kind="dinas" if n < 10 else "kelurahan",
                parent_id=None if n < 10 else f"unit-{n % 10:03d}",
            )
        )
        for k in range(3):
            events.append(
                ServicePointUpserted(
                    service_point_id=f"sp-{n:03d}-{k}",
                    slug=f"sp-{n:03d}-{k}",
                    name=f"Loket {n}/{k}",
                    unit_id=f"unit-{n:03d}",
                )
            )
    for n in range(EMPLOYEES):
        events.append(
            EmployeeUpserted(
                employee_id=f"emp-{n:05d}",
                staff_code=f"S{n:05d}",
                kind="pns",
                position="Staf",
                unit_id=f"unit-{n % UNITS:03d}",
            )
        )
    submitted: list[FeedbackSubmitted] = []
    produced = 0
    while produced < count:
        roll = rng.random()
        if submitted and roll < 0.08:
            fb = rng.choice(submitted)
            events.append(
                FeedbackModerated(
                    feedback_id=fb.feedback_id,
                    service_point_id=fb.service_point_id,
                    unit_id=fb.unit_id,
                    decision="rejected",
                    counted=False,
                    moderated_at=NOW,
                )
            )
        elif submitted and roll < 0.1:
            fb = rng.choice(submitted)
            events.append(
                FeedbackWithdrawn(
                    feedback_id=fb.feedback_id,
                    service_point_id=fb.service_point_id,
                    unit_id=fb.unit_id,
                    withdrawn_at=NOW,
                )
            )
        else:
            unit = rng.randrange(UNITS)
            answers: Any = {f"U{i}": rng.randint(1, 4) for i in range(1, 10)}
            fb = FeedbackSubmitted(
                feedback_id=uuid.UUID(int=rng.getrandbits(128)).hex,
                service_point_id=f"sp-{unit:03d}-{rng.randrange(3)}",
                unit_id=f"unit-{unit:03d}",
                employee_id=(
                    f"emp-{rng.randrange(EMPLOYEES):05d}" if rng.random() < 1 / 3 else None
                ),
                staff_code=None,
                channel="app",
                visit_date=date(rng.choice((2025, 2026)), rng.randint(1, 12), rng.randint(1, 28)),
                answers=answers,
                overall_rating=rng.randint(1, 5),
                counted=True,
                submitted_at=NOW,
            )
            submitted.append(fb)
            events.append(fb)
        produced += 1
    return events


async def produce(kafka: KafkaSettings, count: int) -> float:
    """Send the history; returns the seconds it took."""
    await ensure_topics(kafka, [service_topic(t, kafka) for t in (APPRAISAL, FEEDBACK)])
    producer = new_producer(kafka)
    await producer.start()
    started = time.perf_counter()
    try:
        futures = []
        for payload in history(count):
            event = payload.to_event(source=f"/kinerja/{payload.topic.split('.')[-1]}", time=NOW)
            futures.append(
                await producer.send(
                    kafka.namespace + payload.topic,
                    value=event.to_json(),
                    key=payload.key().encode(),
                )
            )
            if len(futures) >= 20_000:
                await asyncio.gather(*futures)
                futures.clear()
        await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return time.perf_counter() - started


async def plain_consume(kafka: KafkaSettings) -> tuple[int, float]:
    """Read and decode every record of both topics; returns (events, seconds)."""
    consumer = AIOKafkaConsumer(
        **client_options(kafka),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=10_000,
        max_partition_fetch_bytes=16 * 1024 * 1024,
        fetch_max_bytes=64 * 1024 * 1024,
    )
    await consumer.start()
    try:
        topics = [kafka.namespace + t for t in ("kinerja.appraisal", "kinerja.feedback")]
        await consumer._client.force_metadata_update()
        partitions = [
            TopicPartition(t, p)
            for t in topics
            for p in sorted(consumer.partitions_for_topic(t) or ())
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        pending = {tp for tp in partitions if end[tp] > 0}
        decoded = 0
        started = time.perf_counter()
        while pending:
            batches = await consumer.getmany(*pending, timeout_ms=500, max_records=10_000)
            for tp, records in batches.items():
                for record in records:
                    CATALOGUE.parse(CloudEvent.from_json(record.value))
                    decoded += 1
                if records and records[-1].offset + 1 >= end[tp]:
                    pending.discard(tp)
        return decoded, time.perf_counter() - started
    finally:
        await consumer.stop()


async def one_by_one(settings: ReportingSettings) -> tuple[int, float]:
    """Apply the first ONE_BY_ONE records one transaction each; returns (events, seconds)."""
    kafka = settings.kafka
    runtime = create_runtime(settings)
    specs = [service_topic(t, kafka) for t in (APPRAISAL, FEEDBACK)]
    runner = ConsumerRunner(
        group_id="bench-one-by-one",
        topics=specs,
        router=register_handlers(
            EventRouter(), Projection(settings=settings, outbox=runtime.outbox, publish=False)
        ),
        sessions=runtime.sessions,
        tables=runtime.tables,
        kafka=kafka,
        dead_letter=dead_letter_spec("bench", kafka),
        max_attempts=1,
    )
    consumer = AIOKafkaConsumer(
        **client_options(kafka),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        tp = TopicPartition(kafka.namespace + "kinerja.feedback", 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        records: list[Any] = []
        while len(records) < ONE_BY_ONE:
            found = await consumer.getmany(tp, timeout_ms=1000, max_records=ONE_BY_ONE)
            if not found:
                break
            records.extend(found.get(tp, []))
        records = records[:ONE_BY_ONE]
        started = time.perf_counter()
        for record in records:
            await runner.handle(record)
        seconds = time.perf_counter() - started
        async with runtime.sessions() as session, session.begin():
            for table in READ_MODELS:
                await session.execute(delete(table))
        return len(records), seconds
    finally:
        await consumer.stop()
        await runtime.stop()


async def run(count: int, url: str) -> None:
    """Produce, then time the plain consume, one-by-one application and the rebuild."""
    bootstrap = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
    kafka = KafkaSettings(bootstrap_servers=bootstrap, namespace=f"replay{uuid.uuid4().hex[:6]}.")
    settings = ReportingSettings(
        database_url=url, run_consumers=False, run_relay=False, kafka=kafka
    )
    seconds = await produce(kafka, count)
    print(f"produced {count} feedback events (+ directory) in {seconds:.1f} s")
    events, seconds = await plain_consume(kafka)
    plain_rate = events / seconds
    print(f"plain consume+decode: {events} events in {seconds:.2f} s = {plain_rate:,.0f}/s")
    applied, seconds = await one_by_one(settings)
    print(f"one by one (first {applied} feedback records): {applied / seconds:,.0f} events/s")
    runtime = create_runtime(settings)
    try:
        progress = await rebuild(runtime, RebuildProgress())
    finally:
        await runtime.stop()
    assert progress.state == "done", progress.error
    rate = progress.events_replayed / progress.seconds
    print(
        f"rebuild: {progress.events_replayed} events in {progress.seconds:.2f} s = {rate:,.0f}/s"
        f" ({progress.events_failed} failed); ratio to plain consume {rate / plain_rate:.2f}"
    )


def main() -> None:
    """Arguments: number of feedback events, database URL (default a scratch SQLite file)."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    url = (
        sys.argv[2]
        if len(sys.argv) > 2
        else f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/reporting-replay.db"
    )
    upgrade_head(str(ALEMBIC_INI), url)
    asyncio.run(run(count, url))


if __name__ == "__main__":
    main()
