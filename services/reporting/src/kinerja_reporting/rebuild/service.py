"""Replaying history into empty read models, with progress.

A fresh Kafka consumer without a group reads every partition of kinerja.appraisal and
kinerja.feedback from the beginning up to the end offsets seen when the rebuild started.
Events go through the same handlers and inbox as live ones (a chunk of records per
transaction), so events the live consumer applies meanwhile are never applied twice, and
the handlers' tolerance of reordering covers the two interleaving. Nothing is published
while replaying.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import delete, insert, select

from kinerja_reporting.consumers import register_handlers
from kinerja_reporting.models import READ_MODELS
from kinerja_reporting.projection import Projection
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.consumer import ConsumerRunner, EventRouter
from kinerja_shared.events.catalogue import CATALOGUE
from kinerja_shared.events.envelope import CloudEvent, utcnow
from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    dead_letter_spec,
    ensure_topics,
    service_topic,
)
from kinerja_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: Records applied per transaction while replaying.
CHUNK = 500


@dataclass
class RebuildProgress:
    """Where a rebuild stands: events to replay, replayed so far, time and rate."""

    state: str = "idle"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    events_total: int = 0
    events_replayed: int = 0
    events_failed: int = 0
    seconds: float = 0.0
    events_per_second: float = 0.0
    error: str | None = None
    _started: float = field(default=0.0, repr=False)

    def public(self) -> dict[str, Any]:
        """The progress as JSON-able data."""
        data = asdict(self)
        data.pop("_started")
        return data

    def tick(self) -> None:
        """Update the elapsed time and the rate."""
        self.seconds = round(time.monotonic() - self._started, 3)
        self.events_per_second = (
            round(self.events_replayed / self.seconds, 1) if self.seconds else 0
        )


async def clear_read_models(runtime: ServiceRuntime, consumer_group: str) -> None:
    """Delete every read model row and the consumer's inbox records."""
    inbox = runtime.tables.inbox
    async with runtime.sessions() as session, session.begin():
        for table in READ_MODELS:
            await session.execute(delete(table))
        await session.execute(delete(inbox).where(inbox.c.consumer == consumer_group))


async def _apply_chunk(
    runtime: ServiceRuntime, runner: ConsumerRunner, records: list[ConsumerRecord[Any, Any]]
) -> int:
    """Apply records in one transaction (inbox included); returns how many failed.

    One commit per chunk instead of per event makes a replay several times faster. If any
    record fails, the chunk is rolled back and applied again one record at a time through
    the ordinary consumer path, so one poison event costs only itself.
    """
    inbox = runtime.tables.inbox
    try:
        decoded = []
        for record in records:
            event = CloudEvent.from_json(record.value)
            handler = runner.router.handler_for(event.type)
            if handler is not None:
                decoded.append((event, CATALOGUE.parse(event), handler))
        async with runtime.sessions() as session, session.begin():
            seen = {
                (r.source, r.event_id)
                for r in await session.execute(
                    select(inbox.c.source, inbox.c.event_id).where(
                        inbox.c.consumer == runner.group_id,
                        inbox.c.event_id.in_([e.id for e, _, _ in decoded]),
                    )
                )
            }
            applied = []
            for event, payload, handler in decoded:
                if (event.source, event.id) in seen:
                    continue
                seen.add((event.source, event.id))
                await handler(session, event, payload)
                applied.append(
                    {
                        "consumer": runner.group_id,
                        "source": event.source,
                        "event_id": event.id,
                        "event_type": event.type,
                        "processed_at": utcnow(),
                    }
                )
            if applied:
                await session.execute(insert(inbox), applied)
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


async def _partitions(bootstrap_servers: str, topics: list[str]) -> list[TopicPartition]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers)
    await admin.start()
    try:
        described = await admin.describe_topics(topics)
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
        bootstrap_servers=kafka.bootstrap_servers,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=1000,
    )
    try:
        await ensure_topics(kafka.bootstrap_servers, specs)
        await consumer.start()
        partitions = await _partitions(kafka.bootstrap_servers, [s.name for s in specs])
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        start = await consumer.beginning_offsets(partitions)
        end = await consumer.end_offsets(partitions)
        progress.events_total = sum(end[tp] - start[tp] for tp in partitions)
        await clear_read_models(runtime, settings.consumer_group)
        runner = ConsumerRunner(
            group_id=settings.consumer_group,
            topics=specs,
            router=register_handlers(
                EventRouter(), Projection(settings=settings, outbox=runtime.outbox, publish=False)
            ),
            sessions=runtime.sessions,
            tables=runtime.tables,
            bootstrap_servers=kafka.bootstrap_servers,
            dead_letter=dead_letter_spec(settings.consumer_group, kafka),
            max_attempts=1,
        )
        pending = {tp for tp in partitions if end[tp] > start[tp]}
        while pending:
            batches = await consumer.getmany(*pending, timeout_ms=500, max_records=CHUNK)
            for tp, records in batches.items():
                wanted = [r for r in records if r.offset < end[tp]]
                progress.events_failed += await _apply_chunk(runtime, runner, wanted)
                progress.events_replayed += len(wanted)
            for tp in list(pending):
                if await consumer.position(tp) >= end[tp]:
                    pending.discard(tp)
            progress.tick()
            if report is not None:
                report(progress)
        progress.state = "done"
    except Exception as exc:
        progress.state, progress.error = "failed", f"{type(exc).__name__}: {exc}"
        log.exception("rebuild failed")
    finally:
        await consumer.stop()
        progress.finished_at = utcnow()
        progress.tick()
    return progress
