"""The delivery worker: claims deliveries due, sends them signed, settles the outcomes.

Deliveries live in the database, so they survive restarts; a delivery claimed by a worker
that died is taken again once its lease ends (at least once). Several workers (replicas)
share the queue: PostgreSQL's row locks (SKIP LOCKED) keep them from claiming the same rows.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_shared.db import write_lock
from kinerja_shared.events.envelope import utcnow
from kinerja_webhooks.deliveries import service
from kinerja_webhooks.deliveries.sender import Outcome, Sender
from kinerja_webhooks.domain.retries import RetryPolicy
from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import SecretBox

log = logging.getLogger(__name__)


@dataclass
class WorkerStats:
    """Counters for health checks, tests and the benchmark."""

    attempts: int = 0
    delivered: int = 0
    failed: int = 0


class DeliveryWorker:
    """One worker loop over the delivery queue."""

    def __init__(
        self,
        *,
        settings: WebhooksSettings,
        sessions: async_sessionmaker[AsyncSession],
        box: SecretBox,
        row_locks: bool,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.box = box
        self.row_locks = row_locks
        self.sender = Sender(settings)
        self.policy = RetryPolicy(
            first=settings.retry_first_seconds,
            longest=settings.retry_longest_seconds,
            horizon=settings.retry_horizon_seconds,
            pause_after=settings.pause_after_failing_seconds,
        )
        self.stats = WorkerStats()

    async def run(self) -> None:
        """Deliver until cancelled; idle, look again every delivery_poll_seconds."""
        while True:
            try:
                attempted = await self.run_once()
            except Exception:
                log.exception("delivery round failed; trying again")
                attempted = 0
            if not attempted:
                await asyncio.sleep(self.settings.delivery_poll_seconds)

    async def run_once(self) -> int:
        """Claim what is due, send it, settle it. Returns how many were attempted."""
        async with write_lock(self.sessions), self.sessions() as session, session.begin():
            claimed = await service.claim(
                session,
                now=utcnow(),
                lease_seconds=self.settings.delivery_lease_seconds,
                limit=self.settings.delivery_batch,
                row_locks=self.row_locks,
            )
        if not claimed:
            return 0
        outcomes = await asyncio.gather(*(self._attempt(c) for c in claimed))
        async with write_lock(self.sessions), self.sessions() as session, session.begin():
            await service.settle(
                session,
                list(zip(claimed, outcomes, strict=True)),
                policy=self.policy,
                now=utcnow(),
            )
        self.stats.attempts += len(outcomes)
        self.stats.delivered += sum(o.delivered for o in outcomes)
        self.stats.failed += sum(not o.delivered for o in outcomes)
        return len(claimed)

    async def _attempt(self, claimed: service.Claimed) -> Outcome:
        at = utcnow()
        try:
            secret = self.box.open(claimed.secret_sealed)
            previous = (
                self.box.open(claimed.previous_secret_sealed)
                if claimed.previous_secret_sealed is not None
                and claimed.previous_secret_until is not None
                and at < claimed.previous_secret_until
                else None
            )
        except Exception as exc:  # a key no longer listed: the attempt fails, visibly
            return Outcome(
                delivered=False, error=f"cannot decrypt the secret: {type(exc).__name__}"
            )
        return await self.sender.send(
            url=claimed.target_url,
            secret=secret,
            previous_secret=previous,
            message_id=claimed.message_id,
            body=claimed.body,
            at=at,
        )

    async def close(self) -> None:
        """Close the HTTP client."""
        with contextlib.suppress(Exception):
            await self.sender.close()
