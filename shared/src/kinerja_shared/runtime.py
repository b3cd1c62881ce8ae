"""A service's moving parts — engine, outbox, relay, consumers, periodic tasks — started and
stopped together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from kinerja_shared.consumer import ConsumerRunner, EventRouter
from kinerja_shared.db import create_engine, is_postgres, session_factory
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.events.topics import dead_letter_spec, service_topic
from kinerja_shared.group_commit import GroupCommit
from kinerja_shared.kafka_client import client_options
from kinerja_shared.kafka_health import metadata_answered
from kinerja_shared.messaging import MessagingTables, messaging_tables
from kinerja_shared.outbox import Outbox
from kinerja_shared.relay import OutboxRelay
from kinerja_shared.settings import ServiceSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ConsumerSpec:
    """A consumer group of a service: which topics it reads and how events are handled."""

    group_id: str
    topics: tuple[str, ...]
    router: EventRouter


async def _utcnow() -> datetime:
    return utcnow()


@dataclass(frozen=True)
class PeriodicTask:
    """Work a service does every `every_seconds` in the background (e.g. the reminder scan):
    `run(runtime, now)` with the moment of the runtime's clock; 0 seconds turns it off."""

    name: str
    every_seconds: float
    run: Callable[[ServiceRuntime, datetime], Awaitable[object]]


@dataclass
class PeriodicStats:
    """How a periodic task's background passes have gone, for /health/ready."""

    passes: int = 0
    failed_in_a_row: int = 0
    last_success_at: datetime | None = None
    last_error: str | None = None


class ServiceRuntime:
    """Owns the engine, sessions, outbox, relay and consumers of one service process."""

    def __init__(
        self,
        settings: ServiceSettings,
        metadata: MetaData,
        *,
        publishes: tuple[str, ...] = (),
        consumers: tuple[ConsumerSpec, ...] = (),
        periodic: tuple[PeriodicTask, ...] = (),
        clock: Callable[[], Awaitable[datetime]] | None = None,
        engine: AsyncEngine | None = None,
    ) -> None:
        self.settings = settings
        #: The clock of the background work: the service's own (`current_time`, the one its
        #: endpoints use) when it passes it; tests set their own moment.
        self.clock: Callable[[], Awaitable[datetime]] = clock or _utcnow
        self.periodic = {task.name: task for task in periodic}
        self.periodic_stats = {task.name: PeriodicStats() for task in periodic}
        self.engine = engine or create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
        )
        self.sessions: async_sessionmaker[AsyncSession] = session_factory(self.engine)
        self.tables: MessagingTables = messaging_tables(metadata)
        self.outbox = Outbox(self.tables, source=settings.source)
        self.group_commit = GroupCommit(self.sessions, max_group=settings.group_commit_max_works)
        kafka = settings.kafka
        self.relay = OutboxRelay(
            sessions=self.sessions,
            tables=self.tables,
            kafka=kafka,
            source=settings.source,
            topics=[service_topic(t, kafka) for t in publishes],
            wake=self.outbox.committed,
            batch_size=settings.outbox_batch_size,
            lanes_per_claim=settings.outbox_lanes_per_claim,
            poll_seconds=settings.outbox_poll_seconds,
            row_locks=is_postgres(self.engine),
            topic_namespace=kafka.namespace,
        )
        self.consumers = [
            ConsumerRunner(
                group_id=spec.group_id,
                topics=[service_topic(t, kafka) for t in spec.topics],
                router=spec.router,
                sessions=self.sessions,
                tables=self.tables,
                kafka=kafka,
                dead_letter=dead_letter_spec(spec.group_id, kafka),
                max_attempts=settings.consumer_max_attempts,
                retry_backoff_seconds=settings.consumer_retry_backoff_seconds,
                transaction_batch=settings.consumer_transaction_batch,
                max_clock_skew_seconds=settings.consumer_max_clock_skew_seconds,
            )
            for spec in consumers
        ]
        self._tasks: list[asyncio.Task[Any]] = []

    async def start(self) -> None:
        """Start the relay, consumers and periodic tasks in the background (the relay and
        consumers wait for Kafka themselves).

        Raises KafkaClientSettingsError at once when no client could connect with the
        settings (e.g. SASL without a password), instead of retrying in the background.
        """
        relay = self.settings.run_relay and self.relay.topics
        if relay or (self.settings.run_consumers and self.consumers):
            client_options(self.settings.kafka)
        if relay:
            self._tasks.append(asyncio.create_task(self.relay.run(), name="outbox-relay"))
        if self.settings.run_consumers:
            for runner in self.consumers:
                self._tasks.append(
                    asyncio.create_task(runner.run(), name=f"consumer-{runner.group_id}")
                )
        for task in self.periodic.values():
            if task.every_seconds > 0:
                self._tasks.append(asyncio.create_task(self._every(task), name=task.name))

    async def run_periodic(self, name: str) -> None:
        """Run a periodic task once now, at the clock's current moment."""
        task = self.periodic[name]
        await task.run(self, await self.clock())

    async def _every(self, task: PeriodicTask) -> None:
        # An interval after start, then every interval (a process that just started has
        # nothing new to find); a failed pass is logged and the next one tries again.
        stats = self.periodic_stats[task.name]
        while True:
            await asyncio.sleep(task.every_seconds)
            try:
                moment = await self.clock()
                await task.run(self, moment)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.exception("periodic task failed", extra={"task": task.name})
                stats.failed_in_a_row += 1
                stats.last_error = type(exc).__name__
            else:
                stats.failed_in_a_row = 0
                stats.last_success_at = moment
            stats.passes += 1

    async def stop(self) -> None:
        """Stop background tasks, leave consumer groups, close the database."""
        pending = set(self._tasks)
        for attempt in range(3):
            for task in pending:
                task.cancel()
            if not pending:
                break
            # Never wait forever: a task that swallowed its cancellation is cancelled again.
            _, pending = await asyncio.wait(pending, timeout=10)
            if pending:
                log.warning(
                    "background tasks did not stop; cancelling again",
                    extra={"tasks": [t.get_name() for t in pending], "attempt": attempt + 1},
                )
        for task in self._tasks:
            if task.done() and not task.cancelled():
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    task.result()
        self._tasks.clear()
        await self.relay.close()
        for runner in self.consumers:
            await runner.close()
        await self.engine.dispose()

    def uses_kafka(self) -> bool:
        """Whether this process runs a relay or consumers."""
        relay = self.settings.run_relay and bool(self.relay.topics)
        return relay or (self.settings.run_consumers and bool(self.consumers))

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """What /health/ready reports: whether the process is ready — its database answers
        and, when it uses Kafka (and `readiness_requires_kafka`), the cluster answers a
        metadata request in time — and every check as this process sees it."""
        settings = self.settings
        checks: dict[str, Any] = {}
        if self.uses_kafka():  # both at once: the slower decides how long the probe takes
            checks["database"], checks["kafka"] = await asyncio.gather(
                self._database_check(),
                metadata_answered(settings.kafka, settings.readiness_kafka_timeout_seconds),
            )
        else:
            checks["database"] = await self._database_check()
        ready = checks["database"]["status"] == "up" and (
            not settings.readiness_requires_kafka or checks.get("kafka", {}).get("status") != "down"
        )
        if settings.run_relay and self.relay.topics:
            stats = self.relay.stats
            checks["outbox_relay"] = {
                "status": "up" if stats.connected and not stats.stalled else "down",
                "published": stats.published,
            }
            if stats.stalled:
                checks["outbox_relay"]["stalled"] = True
        for runner in self.consumers if self.settings.run_consumers else []:
            checks[f"consumer:{runner.group_id}"] = {
                "status": "up" if runner.stats.connected else "down",
                "processed": runner.stats.processed,
                "dead_lettered": runner.stats.dead_lettered,
                "refused": runner.stats.refused,
            }
            if runner.stats.waiting_for:
                checks[f"consumer:{runner.group_id}"]["waiting_for"] = runner.stats.waiting_for
        for name, task in self.periodic.items():
            if task.every_seconds > 0:
                checks[f"periodic:{name}"] = self._periodic_check(task)
        return ready, checks

    def _periodic_check(self, task: PeriodicTask) -> dict[str, Any]:
        """A background task's last passes: down while its latest pass failed (it is tried
        again every interval; the process stays ready, as the task's work waits safely)."""
        stats = self.periodic_stats[task.name]
        check: dict[str, Any] = {
            "status": "down" if stats.failed_in_a_row else "up",
            "every_seconds": task.every_seconds,
            "passes": stats.passes,
            "last_success_at": stats.last_success_at.isoformat() if stats.last_success_at else None,
        }
        if stats.failed_in_a_row:
            check |= {"failed_in_a_row": stats.failed_in_a_row, "last_error": stats.last_error}
        return check

    async def _database_check(self) -> dict[str, Any]:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            return {"status": "down", "error": type(exc).__name__}
        return {"status": "up"}
