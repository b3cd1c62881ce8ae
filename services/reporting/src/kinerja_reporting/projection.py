"""What event handlers share: the settings and where their own events go."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.outbox import Outbox


@dataclass(frozen=True)
class Projection:
    """Context of the read-model handlers.

    ``publish`` is false during a rebuild: replaying history must not announce again every
    summary and flag the appraisal service already received.
    """

    settings: ReportingSettings
    outbox: Outbox
    publish: bool = True

    async def emit(self, session: AsyncSession, payload: EventPayload) -> None:
        """Queue an event in the handler's transaction (unless replaying)."""
        if self.publish:
            await self.outbox.add(session, payload)

    async def emit_many(self, session: AsyncSession, payloads: list[EventPayload]) -> None:
        """Queue several events in one statement (unless replaying)."""
        if self.publish and payloads:
            await self.outbox.add_many(session, payloads)
