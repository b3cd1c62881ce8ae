"""Event handlers: every event of the three topics becomes the deliveries it is owed."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_shared.events.envelope import CloudEvent, utcnow
from kinerja_webhooks.deliveries import service


async def on_events(session: AsyncSession, events: list[tuple[CloudEvent, Any]]) -> None:
    """Queue the deliveries of consecutive events (one statement for the batch)."""
    await service.enqueue(session, [event for event, _ in events], now=utcnow())
