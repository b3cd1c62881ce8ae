"""The rebuild: replaying history into empty read models, with progress.

A fresh Kafka consumer without a group reads every partition of kinerja.appraisal and
kinerja.feedback from the beginning up to the end offsets seen when the rebuild started,
with large fetches, the next poll fetched while the previous one is applied. Events go
through the same handlers and inbox as live ones (the consumer's batch path: up to CHUNK
records per transaction, feedback folded in memory), so events the live consumer applies
meanwhile are never applied twice, and the handlers' tolerance of reordering covers the two
interleaving. Nothing is published while replaying, and improvement flags are evaluated once
per touched unit and period at the end (they depend only on the final totals and service
users), not in every transaction (``projections/rebuild.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition

from kinerja_reporting.handlers import register_handlers
from kinerja_reporting.projections.rebuild import clear_read_models, finish_replay, replaying
from kinerja_reporting.rebuild.schemas import RebuildProgress
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.consumer import ConsumerRunner, EventRouter
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    dead_letter_spec,
    new_admin,
    service_topic,
)
from kinerja_shared.kafka_client import client_options
from kinerja_shared.problems import Conflict
from kinerja_shared.runtime import ServiceRuntime
from kinerja_shared.settings import KafkaSettings

log = logging.getLogger(__name__)

#: Records applied per transaction while replaying (feedback folded by the batch handler):
#: a whole poll, every partition of it.
CHUNK = 10_000
#: Records fetched per poll while replaying.
FETCH_RECORDS = 10_000
#: Bytes fetched per partition and per request while replaying (large fetches).
FETCH_BYTES = 16 * 1024 * 1024


async def _apply_chunk(runner: ConsumerRunner, records: list[ConsumerRecord[Any, Any]]) -> int:
    """Apply records through the consumer's batch path; returns how many failed.

    ``handle_many`` applies up to ``transaction_batch`` records per transaction, consecutive
    feedback events folded by the batch handler. If it gives up (a record it cannot apply
    and no dead-letter producer while replaying), the chunk is applied again one record at
    a time: the inbox skips what was applied, and one poison event costs only itself.
    """
    try:
        await runner.handle_many(records)
        return 0
    except Exception:
        failed = 0
        for record in records:
            try:
                await runner.handle(record)
            except Exception as exc:  # a poison event must not stop the replay
                failed += 1
                log.error("replay could not apply an event", extra={"error": str(exc)})
        return failed


async def _applied(
    progress: RebuildProgress,
    applying: asyncio.Task[int],
    count: int,
    report: Callable[[RebuildProgress], None] | None,
) -> None:
    """Wait for a poll being applied and count it in the progress."""
    progress.events_failed += await applying
    progress.events_replayed += count
    progress.tick()
    if report is not None:
        report(progress)


async def _partitions(kafka: KafkaSettings, topics: list[str]) -> list[TopicPartition]:
    """The partitions of topics that exist (a topic its owner has not created yet has none)."""
    admin = new_admin(kafka)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        present = [t for t in topics if t in existing]
        described = await admin.describe_topics(present) if present else []
    finally:
        await admin.close()
    return [
        TopicPartition(topic["topic"], part["partition"])
        for topic in described
        for part in sorted(topic["partitions"], key=lambda p: p["partition"])
    ]


async def rebuild(
    runtime: ServiceRuntime,
    progress: RebuildProgress,
    *,
    report: Callable[[RebuildProgress], None] | None = None,
) -> RebuildProgress:
    """Drop the read models and replay both topics from the beginning."""
    settings = runtime.settings
    assert isinstance(settings, ReportingSettings)
    kafka = settings.kafka
    specs = [service_topic(t, kafka) for t in (APPRAISAL, FEEDBACK)]
    progress.state, progress.started_at, progress._started = "running", utcnow(), time.monotonic()
    progress.events_replayed = progress.events_failed = 0
    progress.error = None
    consumer = AIOKafkaConsumer(
        **client_options(kafka),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=FETCH_RECORDS,
        max_partition_fetch_bytes=FETCH_BYTES,
        fetch_max_bytes=4 * FETCH_BYTES,
    )
    try:
        await consumer.start()
        partitions = await _partitions(kafka, [s.name for s in specs])
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        start = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        progress.events_total = sum(end[tp] - start[tp] for tp in partitions)
        await clear_read_models(runtime, settings.consumer_group)
        projection = replaying(settings, runtime.outbox)
        runner = ConsumerRunner(
            group_id=settings.consumer_group,
            topics=specs,
            router=register_handlers(EventRouter(), projection),
            sessions=runtime.sessions,
            tables=runtime.tables,
            kafka=kafka,
            dead_letter=dead_letter_spec(settings.consumer_group, kafka),
            max_attempts=1,
            transaction_batch=CHUNK,
            max_clock_skew_seconds=settings.consumer_max_clock_skew_seconds,
        )
        pending = {tp for tp in partitions if end[tp] > start[tp]}
        # Poll N+1 is fetched while poll N is being applied; polls are applied one after
        # the other, in the order fetched, so every partition keeps its order.
        applying: asyncio.Task[int] | None = None
        applying_count = 0
        try:
            while pending:
                batches = await consumer.getmany(
                    *pending, timeout_ms=500, max_records=FETCH_RECORDS
                )
                # One chunk for the whole poll, partition after partition: each partition
                # keeps its order (all events of one feedback share a partition) and the
                # feedback of every partition is folded together, so each totals row is
                # written once.
                wanted = [
                    r for tp, records in batches.items() for r in records if r.offset < end[tp]
                ]
                for tp in list(pending):
                    if await consumer.position(tp) >= end[tp]:
                        pending.discard(tp)
                if applying is not None:
                    await _applied(progress, applying, applying_count, report)
                applying = asyncio.create_task(_apply_chunk(runner, wanted))
                applying_count = len(wanted)
            if applying is not None:
                await _applied(progress, applying, applying_count, report)
                applying = None
        finally:
            if applying is not None:  # the rebuild failed: stop (or collect) the last poll
                applying.cancel()
                with contextlib.suppress(BaseException):
                    await applying
        await finish_replay(runtime.sessions, projection)
        progress.state = "done"
    except Exception as exc:
        progress.state, progress.error = "failed", f"{type(exc).__name__}: {exc}"
        log.exception("rebuild failed")
    finally:
        await consumer.stop()
        progress.finished_at = utcnow()
        progress.tick()
    return progress


def progress_of(state: Any) -> RebuildProgress:
    """The progress of the last rebuild of an app (``app.state``), idle before the first."""
    found = getattr(state, "rebuild_progress", None)
    if found is None:
        found = RebuildProgress()
        state.rebuild_progress = found
    assert isinstance(found, RebuildProgress)
    return found


def start_rebuild(state: Any, runtime: ServiceRuntime) -> RebuildProgress:
    """Start a rebuild in the background unless one is running; returns its progress."""
    progress = progress_of(state)
    if progress.state == "running":
        raise Conflict("a rebuild is already running; follow it at GET /admin/rebuild")
    progress.state = "running"
    state.rebuild_task = asyncio.create_task(rebuild(runtime, progress), name="rebuild")
    return progress
