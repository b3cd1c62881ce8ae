"""cProfile of the reporting service's feedback handlers (the projection), in process.

    .venv/bin/python bench/profile_handlers.py [--events 2000] [--mode batch|single]
        [--transaction-batch 100] [--publish] [--no-profile]

Loads the directory, then applies --events feedback.submitted events the way the consumer
does: the records of each partition (6, keyed like the producer keys them) go through the
reporting router via the shared consumer's own path, ``ConsumerRunner.handle_many`` (inbox,
``transaction_batch`` records per transaction, consecutive feedback folded by the batch
handler, i.e. ``EventRouter.batch_handler_for`` / ``on_batch``) in ``--mode batch``, or
``ConsumerRunner.handle`` (one transaction and one event per record, the retry path and the
single-event ``handler_for``) in ``--mode single``. Prints the top functions, the events/s
and the CPU seconds per event. ``--publish`` queues the flag and summary events as the live
consumer does (a rebuild does not). ``--rebuild`` applies them as ``kinerja-reporting rebuild``
does: nothing published, flags collected and evaluated once at the end, its fetch and
transaction sizes (``rebuild/service.py`` FETCH_RECORDS, CHUNK).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import subprocess
import time
import zlib
from typing import Any

import events as history
from aiokafka import ConsumerRecord
from sqlalchemy import event
from system import BIN, VAR, sqlite_url

PARTITIONS = 6


def records(payloads: list[Any]) -> list[list[ConsumerRecord[bytes, bytes]]]:
    """The payloads as Kafka records of their own topics (the consumer checks that a topic's
    owner sent each event), spread over partitions by key like the producer does."""
    from kinerja_shared.events.topics import expected_source

    parts: list[list[ConsumerRecord[bytes, bytes]]] = [[] for _ in range(PARTITIONS)]
    for payload in payloads:
        topic = payload.topic
        key = payload.key().encode()
        value = payload.to_event(source=expected_source(payload.topic) or "").to_json()
        part = parts[zlib.crc32(key) % PARTITIONS]
        part.append(
            ConsumerRecord(topic, 0, len(part), 0, 0, key, value, None, len(key), len(value), [])
        )
    return parts


async def main(
    count: int, mode: str, batch: int, publish: bool, profile: bool, rebuild: bool
) -> None:
    from kinerja_reporting.handlers import register_handlers
    from kinerja_reporting.projections.context import Projection
    from kinerja_reporting.runtime import create_runtime
    from kinerja_reporting.settings import ReportingSettings
    from kinerja_shared.consumer import ConsumerRunner, EventRouter
    from kinerja_shared.events.topics import TopicSpec

    database = VAR / f"profile-{os.getpid()}.db"
    url = os.environ.get("PROFILE_DATABASE_URL") or sqlite_url(database)
    subprocess.run(  # noqa: ASYNC221 - before any load starts
        [str(BIN / "kinerja-reporting"), "migrate"],
        check=True,
        capture_output=True,
        env={**os.environ, "REPORTING_DATABASE_URL": url},
    )
    settings = ReportingSettings(database_url=url, run_consumers=False, run_relay=False)
    runtime = create_runtime(settings)
    poll = 500  # the live consumer's max_poll_records
    if rebuild:
        from kinerja_reporting.projections.context import ChangedPeriods
        from kinerja_reporting.projections.flags import evaluate_due_flags
        from kinerja_reporting.rebuild.service import CHUNK, FETCH_RECORDS

        batch, poll = CHUNK, FETCH_RECORDS

        projection = Projection(
            settings=settings, outbox=runtime.outbox, publish=False, flags_due=ChangedPeriods()
        )
    else:
        projection = Projection(settings=settings, outbox=runtime.outbox, publish=publish)
    runner = ConsumerRunner(
        group_id="profile",
        topics=[],
        router=register_handlers(EventRouter(), projection),
        sessions=runtime.sessions,
        tables=runtime.tables,
        kafka=settings.kafka,
        dead_letter=TopicSpec(name="unused", partitions=1),
        max_attempts=1,
        transaction_batch=batch,
    )

    async def apply(parts: list[list[ConsumerRecord[bytes, bytes]]], how: str) -> None:
        if how == "batch" and rebuild:  # a poll of every partition is one chunk
            polled = [r for part in parts for r in part]
            for start in range(0, len(polled), poll):
                await runner.handle_many(polled[start : start + poll])
            return
        for part in parts:
            if how == "batch":
                for start in range(0, len(part), poll):
                    await runner.handle_many(part[start : start + poll])
            else:
                for record in part:
                    await runner.handle(record)

    await apply(records(history.directory()), "batch")
    feedback = records(list(history.feedback(count)))
    statements = [0]

    def count_statement(*_: Any) -> None:
        statements[0] += 1

    event.listen(runtime.engine.sync_engine, "before_cursor_execute", count_statement)
    profiler = cProfile.Profile()
    started, cpu = time.perf_counter(), time.process_time()
    if profile:
        profiler.enable()
    await apply(feedback, mode)
    if rebuild:
        await evaluate_due_flags(runtime.sessions, projection)
    profiler.disable()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    event.remove(runtime.engine.sync_engine, "before_cursor_execute", count_statement)
    await runtime.stop()
    database.unlink(missing_ok=True)
    if profile:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(r"kinerja", 30)
        stats.sort_stats("tottime").print_stats(20)
    print(
        f"mode {mode}, transaction batch {batch}, publish {projection.publish}, "
        f"rebuild {rebuild}, profiled {profile}"
    )
    print(f"feedback events/s: {count / seconds:.0f}")
    print(f"CPU ms per event (this process): {cpu / count * 1000:.3f}")
    # Statements sent to the driver (an executemany counts once; BEGIN and COMMIT do not).
    print(f"statements per event: {statements[0] / count:.2f}")
    print(f"processed {runner.stats.processed}, dead-lettered {runner.stats.dead_lettered}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--mode", choices=("batch", "single"), default="batch")
    parser.add_argument("--transaction-batch", type=int, default=100)
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    asyncio.run(
        main(
            args.events,
            args.mode,
            args.transaction_batch,
            args.publish,
            not args.no_profile,
            args.rebuild,
        )
    )
