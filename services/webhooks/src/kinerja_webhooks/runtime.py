"""The webhooks runtime: engine, the consumer of the three topics, the delivery worker, and
the removal of deliveries past their retention."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from kinerja_shared.consumer import EventRouter
from kinerja_shared.db import is_postgres
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, REPORTING
from kinerja_shared.runtime import ConsumerSpec, PeriodicTask, ServiceRuntime
from kinerja_webhooks.deliveries.retention import RETENTION, remove_expired
from kinerja_webhooks.deliveries.worker import DeliveryWorker
from kinerja_webhooks.handlers import register_handlers
from kinerja_webhooks.models import metadata
from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import SecretBox

#: The topics whose events may be subscribed to; never kinerja.feedback.comments (citizens'
#: text: kinerja_shared.kafka_access gives this service no right to read it).
CONSUMED = (APPRAISAL, FEEDBACK, REPORTING)


class WebhooksRuntime(ServiceRuntime):
    """A service runtime that also runs the delivery worker."""

    def __init__(self, settings: WebhooksSettings) -> None:
        self.router = EventRouter()
        super().__init__(
            settings,
            metadata,
            consumers=(
                ConsumerSpec(group_id=settings.consumer_group, topics=CONSUMED, router=self.router),
            ),
            periodic=(
                PeriodicTask(RETENTION, settings.retention_scan_seconds, self._remove_expired),
            ),
        )
        register_handlers(self.router)
        self.webhooks_settings = settings
        self.secret_box = SecretBox(settings)
        self.worker = DeliveryWorker(
            settings=settings,
            sessions=self.sessions,
            box=self.secret_box,
            row_locks=is_postgres(self.engine),
        )
        self._worker_task: asyncio.Task[None] | None = None

    async def _remove_expired(self, _runtime: ServiceRuntime, now: datetime) -> int:
        return await remove_expired(
            self.sessions, retention_days=self.webhooks_settings.delivery_retention_days, now=now
        )

    async def start(self) -> None:
        """Start the consumer and the delivery worker."""
        await super().start()
        if self.webhooks_settings.run_delivery:
            self._worker_task = asyncio.create_task(self.worker.run(), name="webhook-delivery")

    async def stop(self) -> None:
        """Stop the worker, then the rest."""
        task, self._worker_task = self._worker_task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        await self.worker.close()
        await super().stop()

    async def readiness(self) -> tuple[bool, dict[str, Any]]:
        """The shared checks and the worker's counters."""
        ready, checks = await super().readiness()
        if self.webhooks_settings.run_delivery:
            stats = self.worker.stats
            checks["delivery"] = {
                "status": "up" if self._worker_task and not self._worker_task.done() else "down",
                "delivered": stats.delivered,
                "failed": stats.failed,
            }
        return ready, checks


def create_runtime(settings: WebhooksSettings) -> ServiceRuntime:
    """Engine, the consumer of kinerja.appraisal, .feedback and .reporting, delivery worker."""
    return WebhooksRuntime(settings)
