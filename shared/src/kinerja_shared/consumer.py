"""The idempotent consumer: at-least-once delivery from Kafka, exactly-once effect.

Each event is handed to its handler inside a database transaction that also records the
event in the `inbox` table; a repeat (same consumer, source and id) is skipped. Offsets are
committed only after that transaction. A failing event is retried a bounded number of times
and then published to the group's dead-letter topic with the error and its origin in the
headers, and the partition moves on.

An event that cannot be genuine is dead-lettered at once, never applied: its `source` is not
the owner of the topic it arrived on (events/topics.py, TOPIC_OWNERS), or its `time` lies
further in the future than clocks can drift. Kafka's ACLs keep other principals from writing
to a service's topic; this check keeps a principal that may write there (an administrator, a
misconfigured tool) from passing its events off as the owner's.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError, KafkaError
from pydantic import ValidationError
from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tenacity import AsyncRetrying, retry_if_exception_type, wait_exponential_jitter

from kinerja_shared.db import driver_processor, takes_driver_parameters
from kinerja_shared.events.catalogue import CATALOGUE, EventPayload
from kinerja_shared.events.envelope import CloudEvent, utcnow
from kinerja_shared.events.topics import (
    TopicSpec,
    create_missing,
    expected_source,
    new_admin,
    wait_for_topics,
)
from kinerja_shared.kafka_client import client_options
from kinerja_shared.messaging import MessagingTables
from kinerja_shared.relay import KAFKA_DOWN, new_producer
from kinerja_shared.settings import KafkaSettings

log = logging.getLogger(__name__)

Handler = Callable[[AsyncSession, CloudEvent, Any], Awaitable[None]]
BatchHandler = Callable[[AsyncSession, list[tuple[CloudEvent, Any]]], Awaitable[None]]
H = TypeVar("H", bound=Handler)
B = TypeVar("B", bound=BatchHandler)


class EventRouter:
    """Maps event types to handlers, the way an APIRouter maps paths to endpoints."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._batch_handlers: dict[str, BatchHandler] = {}

    def on(self, *models: type[EventPayload]) -> Callable[[H], H]:
        """Register the decorated coroutine as the handler of the given payload types."""

        def decorate(handler: H) -> H:
            for model in models:
                self._handlers[model.cloudevents_type()] = handler
            return handler

        return decorate

    def on_batch(self, *models: type[EventPayload]) -> Callable[[B], B]:
        """Register a handler that takes consecutive events of these types as one list.

        It runs inside the batch's transaction with the events in partition order, so it
        can fold many events into a few statements; it must give the same result as
        applying them one by one (it is called with a single event when a batch is retried).
        """

        def decorate(handler: B) -> B:
            for model in models:
                self._batch_handlers[model.cloudevents_type()] = handler
            return handler

        return decorate

    def handler_for(self, type_: str) -> Handler | None:
        """The handler of an event type, or None when this consumer ignores it."""
        single = self._handlers.get(type_)
        if single is not None:
            return single
        batch = self._batch_handlers.get(type_)
        if batch is None:
            return None

        async def one(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
            await batch(session, [(event, payload)])

        return one

    def batch_handler_for(self, type_: str) -> BatchHandler | None:
        """The batch handler of an event type, if it has one."""
        return self._batch_handlers.get(type_)

    @property
    def types(self) -> list[str]:
        """Every event type handled."""
        return sorted(set(self._handlers) | set(self._batch_handlers))


class Unprocessable(Exception):
    """An event that no retry can fix (malformed envelope or payload): dead-letter at once."""


class NotGenuine(Unprocessable):
    """An event that cannot come from the topic's owner: dead-letter at once, never apply."""


@dataclass
class ConsumerStats:
    """Counters a consumer keeps, for health checks, tests and benchmarks."""

    processed: int = 0
    duplicates: int = 0
    ignored: int = 0
    dead_lettered: int = 0
    refused: int = 0  # not genuine (wrong source, time in the future); also dead-lettered
    failures: int = 0
    connected: bool = False
    waiting_for: list[str] = field(default_factory=list)  # consumed topics not created yet


#: The inbox columns, in the order ``record_in_inbox`` passes them to the driver.
_INBOX_COLUMNS = ("consumer", "source", "event_id", "event_type", "processed_at")


@cache
def _inbox_insert_sql(dialect: Dialect, inbox: Table) -> str | None:
    """The inbox INSERT in the driver's parameter style, or None when it needs SQLAlchemy.

    Only the ``processed_at`` timestamp may need SQLAlchemy's conversion (on SQLite it is
    stored as text); it is the same for every row of a batch, so it is converted once.
    """
    if not takes_driver_parameters(dialect):
        return None
    if any(driver_processor(dialect, inbox, c) for c in _INBOX_COLUMNS[:-1]):
        return None
    compiled = insert(inbox).compile(dialect=dialect, column_keys=list(_INBOX_COLUMNS))
    if tuple(compiled.positiontup or ()) != _INBOX_COLUMNS:
        return None
    return str(compiled)


async def record_in_inbox(
    session: AsyncSession,
    inbox: Table,
    consumer: str,
    events: Sequence[CloudEvent],
    *,
    at: datetime | None = None,
) -> None:
    """Record events as processed by a consumer, with one executemany.

    ``at`` is the processing time (now by default). Many rows go through the driver's own
    executemany (SQLAlchemy would process the parameters of every row in Python), the
    timestamp converted once, as SQLAlchemy stores it.
    """
    now = at or utcnow()
    dialect = session.get_bind().dialect
    sql = _inbox_insert_sql(dialect, inbox) if len(events) > 1 else None
    if sql is None:
        await session.execute(
            insert(inbox),
            [
                {
                    "consumer": consumer,
                    "source": e.source,
                    "event_id": e.id,
                    "event_type": e.type,
                    "processed_at": now,
                }
                for e in events
            ],
        )
        return
    process = driver_processor(dialect, inbox, "processed_at")
    stamp = process(now) if process is not None else now
    connection = await session.connection()
    await connection.exec_driver_sql(
        sql, [(consumer, e.source, e.id, e.type, stamp) for e in events]
    )


class ConsumerRunner:
    """Runs one consumer group over some topics, dispatching to an EventRouter."""

    def __init__(
        self,
        *,
        group_id: str,
        topics: Sequence[TopicSpec],
        router: EventRouter,
        sessions: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        kafka: KafkaSettings,
        dead_letter: TopicSpec,
        max_attempts: int = 3,
        retry_backoff_seconds: float = 0.2,
        max_poll_records: int = 500,
        transaction_batch: int = 100,
        max_clock_skew_seconds: float = 300,
    ) -> None:
        self.group_id = group_id
        self.topics = list(topics)
        self.router = router
        self.sessions = sessions
        self.tables = tables
        self.kafka = kafka
        self.dead_letter = dead_letter
        self.max_attempts = max_attempts
        self.retry_backoff_seconds = retry_backoff_seconds
        self.max_poll_records = max_poll_records
        self.transaction_batch = transaction_batch
        self.max_clock_skew = timedelta(seconds=max_clock_skew_seconds)
        self.stats = ConsumerStats()
        self._consumer: AIOKafkaConsumer | None = None
        self._producer: Any = None

    async def run(self) -> None:
        """Join the group (retrying while Kafka is down) and consume until cancelled."""
        while True:
            async for attempt in AsyncRetrying(
                retry=retry_if_exception_type(KAFKA_DOWN),
                wait=wait_exponential_jitter(multiplier=0.2, max=5),
            ):
                with attempt:
                    await self._connect()
            try:
                await self._consume_forever()
            except KAFKA_DOWN as exc:
                log.warning("consumer lost Kafka; reconnecting", extra={"error": str(exc)})
            except Exception:
                log.exception("consumer failed; reconnecting")
                await asyncio.sleep(1)
            await self.close()

    async def close(self) -> None:
        """Leave the group and stop the dead-letter producer."""
        consumer, self._consumer = self._consumer, None
        producer, self._producer = self._producer, None
        self.stats.connected = False
        for client in (consumer, producer):
            if client is not None:
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(client.stop(), timeout=10)

    async def _connect(self) -> None:
        admin = new_admin(self.kafka)
        await admin.start()
        try:
            # The dead-letter topic is the group's own; the topics it reads belong to the
            # services publishing them, which create them: until then, wait.
            await create_missing(admin, [self.dead_letter])
            await wait_for_topics(admin, [t.name for t in self.topics], waiting=self._waiting)
        finally:
            await admin.close()
        consumer = AIOKafkaConsumer(
            *[t.name for t in self.topics],
            **client_options(self.kafka),
            group_id=self.group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            max_poll_records=self.max_poll_records,
            session_timeout_ms=10000,
            heartbeat_interval_ms=1000,
        )
        producer = new_producer(self.kafka)
        try:
            await consumer.start()
            await producer.start()
        except BaseException:
            for client in (consumer, producer):
                with contextlib.suppress(Exception):
                    await client.stop()
            raise
        self._consumer, self._producer = consumer, producer
        self.stats.connected = True
        log.info("consumer joined", extra={"group": self.group_id})

    def _waiting(self, missing: list[str]) -> None:
        self.stats.waiting_for = missing

    async def _consume_forever(self) -> None:
        consumer = self._consumer
        assert consumer is not None
        while True:
            batches = await consumer.getmany(timeout_ms=500, max_records=self.max_poll_records)
            for tp, records in batches.items():
                await self.handle_many(records)
                await self._commit(consumer, tp, records[-1].offset + 1)

    async def _commit(self, consumer: AIOKafkaConsumer, tp: TopicPartition, offset: int) -> None:
        try:
            await consumer.commit({tp: offset})
        except CommitFailedError:
            # The partition was reassigned during the batch; its new owner will see the
            # records again and the inbox makes the repeat harmless.
            log.info("offset commit refused after a rebalance", extra={"partition": str(tp)})

    async def handle_many(self, records: list[ConsumerRecord[Any, Any]]) -> None:
        """Apply records of one partition in order, several per transaction when possible.

        A chunk that fails is rolled back and its records are applied one at a time, so a
        poison message still gets its bounded retries and its dead letter alone.
        """
        step = max(1, self.transaction_batch)
        for start in range(0, len(records), step):
            chunk = records[start : start + step]
            if len(chunk) == 1:
                await self.handle(chunk[0])
                continue
            try:
                await self._apply_chunk(chunk)
            except Exception as exc:
                log.info(
                    "batch failed; applying its events one by one",
                    extra={"error": f"{type(exc).__name__}: {exc}", "events": len(chunk)},
                )
                for record in chunk:
                    await self.handle(record)

    async def _apply_chunk(self, chunk: list[ConsumerRecord[Any, Any]]) -> None:
        decoded = [self._decode(record) for record in chunk]  # Unprocessable: one by one
        wanted = [(event, payload) for event, payload, handler in decoded if handler]
        inbox = self.tables.inbox
        async with self.sessions() as session, session.begin():
            seen: set[tuple[str, str]] = set()
            if wanted:
                rows = await session.execute(
                    select(inbox.c.source, inbox.c.event_id).where(
                        inbox.c.consumer == self.group_id,
                        inbox.c.event_id.in_({event.id for event, _ in wanted}),
                    )
                )
                seen = {(row.source, row.event_id) for row in rows}
            fresh: list[tuple[CloudEvent, Any]] = []
            for event, payload in wanted:
                if (event.source, event.id) not in seen:
                    seen.add((event.source, event.id))
                    fresh.append((event, payload))
            await self._dispatch(session, fresh)
            if fresh:
                await record_in_inbox(session, inbox, self.group_id, [e for e, _ in fresh])
        self.stats.processed += len(fresh)
        self.stats.duplicates += len(wanted) - len(fresh)
        self.stats.ignored += len(chunk) - len(wanted)

    async def _dispatch(self, session: AsyncSession, events: list[tuple[CloudEvent, Any]]) -> None:
        """Call handlers in order; consecutive events of one batch handler go as one list."""
        run: list[tuple[CloudEvent, Any]] = []
        run_handler: BatchHandler | None = None
        for event, payload in events:
            batch = self.router.batch_handler_for(event.type)
            if batch is not None and batch is run_handler:
                run.append((event, payload))
                continue
            if run_handler is not None:
                await run_handler(session, run)
                run, run_handler = [], None
            if batch is not None:
                run, run_handler = [(event, payload)], batch
                continue
            handler = self.router.handler_for(event.type)
            assert handler is not None
            await handler(session, event, payload)
        if run_handler is not None:
            await run_handler(session, run)

    async def handle(self, record: ConsumerRecord[Any, Any]) -> None:
        """Apply one record exactly once, or dead-letter it after bounded retries."""
        try:
            event, payload, handler = self._decode(record)
        except Unprocessable as exc:
            await self._send_to_dead_letter(record, exc, attempts=1)
            return
        if handler is None:
            self.stats.ignored += 1
            return
        error: BaseException | None = None
        for attempt in range(1, self.max_attempts + 1):
            try:
                await self._apply(event, payload, handler)
                return
            except Exception as exc:
                error = exc
                self.stats.failures += 1
                log.warning(
                    "event handler failed",
                    extra={
                        "event_id": event.id,
                        "event_type": event.type,
                        "attempt": attempt,
                        "error": f"{type(exc).__name__}: {exc}",
                    },
                )
                if attempt < self.max_attempts:
                    await asyncio.sleep(self.retry_backoff_seconds * 2 ** (attempt - 1))
        assert error is not None
        await self._send_to_dead_letter(record, error, attempts=self.max_attempts)

    def _decode(self, record: ConsumerRecord[Any, Any]) -> tuple[CloudEvent, Any, Handler | None]:
        try:
            event = CloudEvent.from_json(record.value)
        except (ValidationError, ValueError, TypeError) as exc:
            raise Unprocessable(f"not a CloudEvents envelope: {exc}") from exc
        self._check_genuine(record.topic, event)
        handler = self.router.handler_for(event.type)
        if handler is None:
            return event, None, None
        try:
            payload = CATALOGUE.parse(event)
        except (ValidationError, KeyError) as exc:
            raise Unprocessable(f"payload does not match {event.type}: {exc}") from exc
        return event, payload, handler

    def _check_genuine(self, topic: str, event: CloudEvent) -> None:
        """Raise NotGenuine for an event its topic's owner cannot have published."""
        name = topic.removeprefix(self.kafka.namespace)
        source = expected_source(name)
        if source is None:
            raise NotGenuine(f"no service owns topic {name}: its events cannot be trusted")
        if event.source != source:
            raise NotGenuine(f"source {event.source} is not {source}, the owner of {name}")
        moment = event.time if event.time.tzinfo else event.time.replace(tzinfo=UTC)
        latest = utcnow() + self.max_clock_skew
        if moment > latest:
            raise NotGenuine(
                f"time {moment.isoformat()} is in the future (beyond the allowed clock skew of"
                f" {self.max_clock_skew.total_seconds():g} s)"
            )

    async def _apply(self, event: CloudEvent, payload: Any, handler: Handler) -> None:
        inbox = self.tables.inbox
        async with self.sessions() as session, session.begin():
            seen = await session.scalar(
                select(inbox.c.event_id).where(
                    inbox.c.consumer == self.group_id,
                    inbox.c.source == event.source,
                    inbox.c.event_id == event.id,
                )
            )
            if seen is not None:
                self.stats.duplicates += 1
                return
            await handler(session, event, payload)
            await session.execute(
                insert(inbox).values(
                    consumer=self.group_id,
                    source=event.source,
                    event_id=event.id,
                    event_type=event.type,
                    processed_at=utcnow(),
                )
            )
        self.stats.processed += 1

    async def _send_to_dead_letter(
        self, record: ConsumerRecord[Any, Any], error: BaseException, *, attempts: int
    ) -> None:
        producer = self._producer
        if producer is None:
            raise KafkaError("no dead-letter producer")
        headers = [
            *(record.headers or ()),
            ("dlq.error", f"{type(error).__name__}: {error}"[:2000].encode()),
            ("dlq.original.topic", record.topic.encode()),
            ("dlq.original.partition", str(record.partition).encode()),
            ("dlq.original.offset", str(record.offset).encode()),
            ("dlq.consumer.group", self.group_id.encode()),
            ("dlq.attempts", str(attempts).encode()),
        ]
        await producer.send_and_wait(
            self.dead_letter.name, value=record.value, key=record.key, headers=headers
        )
        self.stats.dead_lettered += 1
        if isinstance(error, NotGenuine):
            self.stats.refused += 1
        log.error(
            "event sent to dead-letter topic",
            extra={
                "topic": record.topic,
                "partition": record.partition,
                "offset": record.offset,
                "dead_letter_topic": self.dead_letter.name,
            },
        )
