"""Replay: rebuild the reporting read models from the topics, against a plain consume.

    .venv/bin/python bench/replay.py [--events 1000000] [--quick] [--profile]

Produces the synthetic history (bench/events.py: directory, assessments, then --events
feedback.submitted) to namespaced kinerja.appraisal / kinerja.feedback topics with a fast
idempotent producer (sends pipelined, one gather), then:

- baseline: a plain consumer (no group) reading every partition from the beginning to the
  end offsets and decoding each record as a CloudEvent (CloudEvent.from_json), nothing else;
- the reporting service's own rebuild (kinerja_reporting.rebuild.service.rebuild, what
  `kinerja-reporting rebuild` and the rebuild endpoint run) into a fresh SQLite database.

The rebuild's CPU is recorded per event: the whole process (the event loop's thread, and
the thread aiosqlite runs SQLite in) and the event loop's thread alone. ``--profile`` runs
the rebuild under cProfile (event loop thread only) and prints its top functions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import subprocess
import time
import uuid
from typing import Any

import events as history
from aiokafka import AIOKafkaConsumer, TopicPartition
from common import ROOT, Stopwatch, broker, write_result
from system import BIN, VAR, sqlite_url


async def produce(bootstrap: str, namespace: str, count: int) -> dict[str, Any]:
    from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, ensure_topics, service_topic
    from kinerja_shared.relay import new_producer
    from kinerja_shared.settings import KafkaSettings

    kafka = KafkaSettings(bootstrap_servers=bootstrap, namespace=namespace)
    await ensure_topics(kafka, [service_topic(t, kafka) for t in (APPRAISAL, FEEDBACK)])
    producer = new_producer(kafka)
    await producer.start()
    sent = 0
    try:
        with Stopwatch() as watch:
            futures = []
            for payload in history.history(count):
                event = payload.to_event(source=f"/kinerja/{payload.topic.split('.')[-1]}")
                futures.append(
                    await producer.send(
                        namespace + payload.topic, value=event.to_json(), key=payload.key().encode()
                    )
                )
                sent += 1
                if len(futures) >= 20_000:
                    await asyncio.gather(*futures)
                    futures.clear()
            await asyncio.gather(*futures)
    finally:
        await producer.stop()
    return {
        "events_produced": sent,
        "produce_seconds": round(watch.seconds, 1),
        "produce_events_per_second": round(sent / watch.seconds),
    }


async def plain_consume(bootstrap: str, topics: list[str]) -> dict[str, Any]:
    from kinerja_shared.events.envelope import CloudEvent
    from kinerja_shared.kafka_client import client_options
    from kinerja_shared.settings import KafkaSettings

    consumer = AIOKafkaConsumer(
        **client_options(KafkaSettings(bootstrap_servers=bootstrap)),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=1000,
    )
    await consumer.start()
    try:
        partitions = [
            TopicPartition(t, p)
            for t in topics
            for p in sorted(consumer.partitions_for_topic(t) or await _partitions(consumer, t))
        ]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        end = await consumer.end_offsets(partitions)
        pending = {tp for tp in partitions if end[tp] > 0}
        decoded = 0
        with Stopwatch() as watch:
            while pending:
                batches = await consumer.getmany(*pending, timeout_ms=500, max_records=1000)
                for tp, records in batches.items():
                    for record in records:
                        CloudEvent.from_json(record.value)
                        decoded += 1
                    if records and records[-1].offset + 1 >= end[tp]:
                        pending.discard(tp)
    finally:
        await consumer.stop()
    return {
        "events": decoded,
        "seconds": round(watch.seconds, 2),
        "events_per_second": round(decoded / watch.seconds),
    }


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(50):
        await consumer._client.force_metadata_update()
        found = consumer.partitions_for_topic(topic)
        if found:
            return found
        await asyncio.sleep(0.1)
    raise RuntimeError(f"no partitions for {topic}")


async def rebuild(bootstrap: str, namespace: str, profile: bool = False) -> dict[str, Any]:
    from kinerja_reporting.rebuild.schemas import RebuildProgress
    from kinerja_reporting.rebuild.service import rebuild as run_rebuild
    from kinerja_reporting.runtime import create_runtime
    from kinerja_reporting.settings import ReportingSettings
    from kinerja_shared.settings import KafkaSettings

    database = VAR / f"replay-{os.getpid()}.db"
    database.unlink(missing_ok=True)
    url = sqlite_url(database)
    subprocess.run(  # noqa: ASYNC221 - before any load starts
        [str(BIN / "kinerja-reporting"), "migrate"],
        check=True,
        capture_output=True,
        env={**os.environ, "REPORTING_DATABASE_URL": url},
    )
    settings = ReportingSettings(
        database_url=url,
        run_consumers=False,
        run_relay=False,
        kafka=KafkaSettings(bootstrap_servers=bootstrap, namespace=namespace),
    )
    runtime = create_runtime(settings)
    last = [0.0]

    def report(progress: RebuildProgress) -> None:
        if time.monotonic() - last[0] > 15:
            last[0] = time.monotonic()
            print(
                f"  rebuild {progress.events_replayed}/{progress.events_total} events, "
                f"{progress.events_per_second}/s",
                flush=True,
            )

    profiler = cProfile.Profile() if profile else None
    cpu, loop_cpu = time.process_time(), time.thread_time()
    try:
        if profiler is not None:
            profiler.enable()
        result = await run_rebuild(runtime, RebuildProgress(), report=report)
    finally:
        if profiler is not None:
            profiler.disable()
        cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
        await runtime.stop()
    database.unlink(missing_ok=True)
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(r"kinerja", 30)
    events = max(1, result.events_replayed)
    return {
        "cpu_ms_per_event": round(cpu / events * 1000, 4),
        "event_loop_thread_cpu_ms_per_event": round(loop_cpu / events * 1000, 4),
        "profiled": profile,
        "state": result.state,
        "error": result.error,
        "events": result.events_replayed,
        "events_total": result.events_total,
        "events_failed": result.events_failed,
        "seconds": result.seconds,
        "events_per_second": result.events_per_second,
    }


async def run(bootstrap: str, count: int, profile: bool = False) -> dict[str, Any]:
    namespace = f"replay{uuid.uuid4().hex[:6]}."
    produced = await produce(bootstrap, namespace, count)
    topics = [namespace + "kinerja.appraisal", namespace + "kinerja.feedback"]
    plain = await plain_consume(bootstrap, topics)
    rebuilt = await rebuild(bootstrap, namespace, profile)
    return {
        "feedback_events": count,
        **produced,
        "baseline_plain_consume": plain,
        "reporting_rebuild": rebuilt,
        "ratio_to_baseline": round(rebuilt["events_per_second"] / plain["events_per_second"], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--events",
        type=int,
        default=None,
        help="feedback.submitted events (plus ~4,700 directory/assessment ones); "
        "default 1,000,000, or 100,000 with --quick",
    )
    parser.add_argument("--quick", action="store_true", help="100,000 feedback events")
    parser.add_argument("--profile", action="store_true", help="the rebuild under cProfile")
    args = parser.parse_args()
    count = args.events if args.events is not None else (100_000 if args.quick else 1_000_000)
    with broker() as bootstrap:
        figures = asyncio.run(run(bootstrap, count, args.profile))
    path = write_result("replay", figures)
    for key in (
        "feedback_events",
        "produce_events_per_second",
        "baseline_plain_consume",
        "reporting_rebuild",
        "ratio_to_baseline",
    ):
        print(f"{key:<28} {figures[key]}")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
