"""Outbox relay throughput: events/s published from a backlog, against plain Kafka producing.

    .venv/bin/python bench/outbox_relay.py [--rows 10000] [--database-url URL]

Baseline, in the same run and process: an idempotent aiokafka producer (the relay's own
settings) sending the same serialised events with no database at all — the ceiling the relay
can approach. The relay's figure includes reading the rows, publishing them and marking
them sent. Without --database-url a SQLite file is used; KINERJA_TEST_DATABASE_URL (or
--database-url) points it at PostgreSQL, where the relay claims lanes with SKIP LOCKED.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import uuid

from common import Stopwatch, broker, write_result
from sqlalchemy import MetaData, insert

from kinerja_shared.db import create_engine, is_postgres, session_factory
from kinerja_shared.events.catalogue import EventPayload, event_type
from kinerja_shared.events.topics import TopicSpec, ensure_topics
from kinerja_shared.messaging import LANES, messaging_tables
from kinerja_shared.outbox import Outbox
from kinerja_shared.relay import OutboxRelay, new_producer
from kinerja_shared.settings import KafkaSettings

TOPIC = "kinerja.bench"


@event_type("bench.happened", version=1, topic=TOPIC, key="aggregate_id", aggregate="bench")
class BenchHappened(EventPayload):
    """A benchmark event about the size of a feedback.submitted."""

    aggregate_id: str
    service_point_id: str
    answers: dict[str, int]
    channel: str = "app"


def payloads(rows: int) -> list[EventPayload]:
    return [
        BenchHappened(
            aggregate_id=f"agg-{n % 500}",
            service_point_id=str(uuid.uuid4()),
            answers={f"U{i}": (n + i) % 4 + 1 for i in range(1, 10)},
        )
        for n in range(rows)
    ]


async def baseline(
    kafka: KafkaSettings, topic: str, events: list[bytes], keys: list[bytes]
) -> float:
    producer = new_producer(kafka)
    await producer.start()
    try:
        with Stopwatch() as watch:
            futures = [
                await producer.send(topic, value=v, key=k)
                for v, k in zip(events, keys, strict=True)
            ]
            await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return watch.seconds


async def main(rows: int, database_url: str, bootstrap: str, namespace: str) -> dict[str, object]:
    kafka = KafkaSettings(bootstrap_servers=bootstrap)
    metadata = MetaData()
    tables = messaging_tables(metadata)
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
        await conn.execute(insert(tables.outbox_lane), [{"lane": n} for n in range(LANES)])
    sessions = session_factory(engine)
    outbox = Outbox(tables, source="/kinerja/bench")
    batch = payloads(rows)
    with Stopwatch() as filling:
        for start in range(0, rows, 2000):
            async with sessions() as session, session.begin():
                events = await outbox.add_many(session, batch[start : start + 2000])
    spec = [
        TopicSpec(name=namespace + TOPIC, partitions=6),
        TopicSpec(name=namespace + TOPIC + ".baseline", partitions=6),
    ]
    await ensure_topics(kafka, spec)

    serialised = [p.to_event(source="/kinerja/bench").to_json() for p in batch]
    keys = [p.key().encode() for p in batch]
    base_seconds = await baseline(kafka, spec[1].name, serialised, keys)

    relay = OutboxRelay(
        sessions=sessions,
        tables=tables,
        kafka=kafka,
        source="/kinerja/bench",
        topics=spec[:1],
        batch_size=1000,
        lanes_per_claim=LANES,
        row_locks=is_postgres(engine),
        topic_namespace=namespace,
    )
    await relay._connect()
    try:
        with Stopwatch() as relaying:
            while await relay.publish_pending():
                pass
    finally:
        await relay.close()
        await engine.dispose()
    assert relay.stats.published == rows, relay.stats
    del events
    return {
        "rows": rows,
        "database": engine.dialect.name,
        "backlog_fill_seconds": round(filling.seconds, 3),
        "relay_seconds": round(relaying.seconds, 3),
        "relay_events_per_second": round(rows / relaying.seconds),
        "baseline_plain_producer_events_per_second": round(rows / base_seconds),
        "ratio_to_baseline": round(base_seconds / relaying.seconds, 3),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=os.environ.get("KINERJA_TEST_DATABASE_URL"))
    args = parser.parse_args()
    url = args.database_url or f"sqlite+aiosqlite:///{tempfile.mkdtemp()}/bench.db"
    with broker() as bootstrap:
        figures = asyncio.run(main(args.rows, url, bootstrap, f"bench{uuid.uuid4().hex[:6]}."))
    path = write_result("outbox_relay", figures)
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    print(f"written to {path.relative_to(path.parents[2])}")
