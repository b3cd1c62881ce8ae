"""The outbox relay: publishes committed outbox rows to Kafka, in order, and marks them sent.

One relay per service replica. On PostgreSQL a relay claims whole lanes with
`FOR UPDATE SKIP LOCKED` and holds them while it publishes, so several replicas share the
work without ever publishing the same row twice, and events of one key keep their order.
On SQLite (one replica by design) rows are read, published and marked in short transactions
so that the relay never holds the database's single write lock while it waits for Kafka; the
marking queues on the process's write lock (`db.write_lock`) with the API's writers.

A record handed to the producer is never taken back. The producer is idempotent: it numbers
its records, keeps retrying what the broker has not acknowledged, and the broker drops a
retried record it already wrote. So when the broker stalls (a long pause, a frozen host) the
relay waits for the same producer to deliver — reporting itself stalled after
`stalled_after_seconds` — instead of giving up on it: a new producer (a new producer id)
sending the same rows again would write a second copy of whatever the broker had taken before
it stalled. Only a delivery that failed for good (the producer's own verdict) makes the relay
start over with a new producer, after everything it had handed over has settled. What can
still be published twice is in docs/events.md ("Guarantees").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError, KafkaTimeoutError
from sqlalchemy import Row, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tenacity import AsyncRetrying, retry_if_exception_type, wait_exponential_jitter

from kinerja_shared.db import write_lock
from kinerja_shared.events.envelope import CONTENT_TYPE, utcnow
from kinerja_shared.events.topics import TopicSpec, ensure_topics
from kinerja_shared.kafka_client import client_options
from kinerja_shared.messaging import MessagingTables
from kinerja_shared.outbox import TOMBSTONE
from kinerja_shared.settings import KafkaSettings

log = logging.getLogger(__name__)

#: What a broker outage looks like to the relay.
KAFKA_DOWN = (KafkaError, OSError, asyncio.TimeoutError)


def new_producer(settings: KafkaSettings, **overrides: Any) -> AIOKafkaProducer:
    """An idempotent producer (acks=all): retries never duplicate or reorder a partition."""
    options: dict[str, Any] = {
        "enable_idempotence": True,
        "acks": "all",
        "linger_ms": 2,
        "request_timeout_ms": 10000,
        "max_batch_size": 256 * 1024,
    }
    options.update(overrides)
    return AIOKafkaProducer(**client_options(settings), **options)


@dataclass
class RelayStats:
    """Counters a relay keeps, for health checks, tests and benchmarks."""

    published: int = 0
    batches: int = 0
    failures: int = 0
    connected: bool = False
    stalled: bool = False  # records handed over longer than stalled_after_seconds ago
    last_error: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class OutboxRelay:
    """Publishes a service's outbox to Kafka until stopped."""

    def __init__(
        self,
        *,
        sessions: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        kafka: KafkaSettings,
        source: str,
        topics: Sequence[TopicSpec],
        wake: asyncio.Event | None = None,
        batch_size: int = 500,
        lanes_per_claim: int = 4,
        poll_seconds: float = 0.5,
        stalled_after_seconds: float = 15.0,
        row_locks: bool = False,
        topic_namespace: str = "",
    ) -> None:
        self.sessions = sessions
        self.tables = tables
        self.kafka = kafka
        self.source = source.encode()
        self.topics = list(topics)
        self.wake = wake or asyncio.Event()
        self.batch_size = batch_size
        self.lanes_per_claim = lanes_per_claim
        self.poll_seconds = poll_seconds
        self.stalled_after_seconds = stalled_after_seconds
        self.row_locks = row_locks
        self.topic_namespace = topic_namespace
        self.stats = RelayStats()
        self._producer: AIOKafkaProducer | None = None

    async def run(self) -> None:
        """Connect (retrying while Kafka is down), then publish forever."""
        while True:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(KAFKA_DOWN),
                wait=wait_exponential_jitter(multiplier=0.2, max=5),
                before_sleep=self._log_retry,
            ):
                with attempt:
                    await self._connect()
            try:
                await self._publish_forever()
            except KAFKA_DOWN as exc:
                self._record_failure(exc)
            except Exception as exc:  # a database hiccup must not kill the relay
                self._record_failure(exc)
                log.exception("outbox relay failed; restarting")
                await asyncio.sleep(1)
            await self._disconnect()

    async def publish_pending(self) -> int:
        """Publish one batch of pending rows; returns how many were published."""
        if self.row_locks:
            return await self._publish_locked_batch()
        return await self._publish_batch()

    async def close(self) -> None:
        """Stop the producer (waiting briefly for in-flight sends)."""
        await self._disconnect()

    async def _connect(self) -> None:
        await ensure_topics(self.kafka, self.topics)
        producer = new_producer(self.kafka)
        try:
            await producer.start()
        except BaseException:
            with contextlib.suppress(Exception):
                await producer.stop()
            raise
        self._producer = producer
        self.stats.connected = True
        log.info("outbox relay connected to Kafka")

    async def _disconnect(self) -> None:
        producer, self._producer = self._producer, None
        self.stats.connected = False
        if producer is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(producer.stop(), timeout=5)

    async def _publish_forever(self) -> None:
        while True:
            # Cleared before reading, so a commit made while this batch is out wakes the
            # next wait at once instead of being missed.
            self.wake.clear()
            published = await self.publish_pending()
            if published == 0 or (not self.row_locks and published < self.batch_size):
                # A short batch without lanes read everything committed before it: selecting
                # again before the next commit would find nothing (one wasted query per
                # event at a steady trickle). With lanes, other lanes may still be waiting.
                # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a
                # cancellation that lands as the wait ends, and the relay would never stop.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self.wake.wait()

    def _pending(self) -> Any:
        outbox = self.tables.outbox
        return (
            select(
                outbox.c.id,
                outbox.c.topic,
                outbox.c.key,
                outbox.c.event_id,
                outbox.c.event_type,
                outbox.c.payload,
            )
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.id)
            .limit(self.batch_size)
        )

    async def _publish_batch(self) -> int:
        async with self.sessions() as session:
            async with session.begin():
                rows = (await session.execute(self._pending())).all()
            if not rows:
                return 0
            await self._send(rows)
            async with write_lock(self.sessions), session.begin():
                await self._mark_sent(session, rows)
        return len(rows)

    async def _publish_locked_batch(self) -> int:
        outbox, lane = self.tables.outbox, self.tables.outbox_lane
        async with self.sessions() as session, session.begin():
            has_pending = exists().where(outbox.c.lane == lane.c.lane, outbox.c.sent_at.is_(None))
            claimed = (
                (
                    await session.execute(
                        select(lane.c.lane)
                        .where(has_pending)
                        .limit(self.lanes_per_claim)
                        .with_for_update(skip_locked=True)
                    )
                )
                .scalars()
                .all()
            )
            if not claimed:
                return 0
            rows = (await session.execute(self._pending().where(outbox.c.lane.in_(claimed)))).all()
            if not rows:
                return 0
            await self._send(rows)
            await self._mark_sent(session, rows)
        return len(rows)

    async def _send(self, rows: Sequence[Row[Any]]) -> None:
        producer = self._producer
        if producer is None:
            raise KafkaError("relay is not connected")
        futures = [await self._hand_over(producer, row) for row in rows]
        await self._delivered(futures)

    async def _hand_over(self, producer: AIOKafkaProducer, row: Row[Any]) -> asyncio.Future[Any]:
        """Give one row to the producer; the future settles when the broker acknowledged it.

        The producer refuses a record (KafkaTimeoutError) only while its buffer stays full or
        the topic's metadata does not come: nothing was taken, and the relay asks again, so
        that the rows handed over before it are never abandoned."""
        tombstone = row.event_type == TOMBSTONE
        headers = (
            []
            if tombstone
            else [
                ("content-type", CONTENT_TYPE.encode()),
                ("ce_id", row.event_id.encode()),
                ("ce_type", row.event_type.encode()),
                ("ce_source", self.source),
            ]
        )
        while True:
            try:
                future: asyncio.Future[Any] = await producer.send(
                    self.topic_namespace + row.topic,
                    value=None if tombstone else row.payload,
                    key=row.key.encode(),
                    headers=headers,
                )
                return future
            except KafkaTimeoutError:
                self._stall()

    async def _delivered(self, futures: list[asyncio.Future[Any]]) -> None:
        """Wait until every record handed over is acknowledged or failed for good, however
        long the broker takes (the producer retries meanwhile); raise the first failure."""
        settled = asyncio.gather(*futures, return_exceptions=True)
        try:
            while not (await asyncio.wait({settled}, timeout=self.stalled_after_seconds))[0]:
                self._stall()
        except asyncio.CancelledError:
            settled.cancel()  # the relay stops: the producer's stop() ends the deliveries
            raise
        if self.stats.stalled:
            log.info("outbox relay: Kafka acknowledged the records it had waited for")
        self.stats.stalled = False
        failures = [r for r in settled.result() if isinstance(r, BaseException)]
        if failures:
            raise failures[0]

    def _stall(self) -> None:
        if not self.stats.stalled:
            log.warning(
                "outbox relay: Kafka has not acknowledged records for %s s; waiting for the "
                "producer's own retries (never sending them again with a new producer)",
                self.stalled_after_seconds,
            )
        self.stats.stalled = True

    async def _mark_sent(self, session: AsyncSession, rows: Sequence[Row[Any]]) -> None:
        outbox = self.tables.outbox
        await session.execute(
            update(outbox).where(outbox.c.id.in_([r.id for r in rows])).values(sent_at=utcnow())
        )
        self.stats.published += len(rows)
        self.stats.batches += 1

    def _record_failure(self, exc: BaseException) -> None:
        self.stats.failures += 1
        self.stats.last_error = f"{type(exc).__name__}: {exc}"
        log.warning("outbox relay lost Kafka; will retry", extra={"error": self.stats.last_error})

    def _log_retry(self, state: Any) -> None:
        exc = state.outcome.exception() if state.outcome else None
        if exc is not None:
            self._record_failure(exc)
