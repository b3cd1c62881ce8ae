"""Writing events to the transactional outbox, in the caller's transaction."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.envelope import CloudEvent, new_event_id, utcnow
from kinerja_shared.messaging import MessagingTables, lane_of

_WAKE_KEY = "kinerja_outbox_wake"
#: The event_type of an outbox row that the relay publishes as a tombstone (no value).
TOMBSTONE = "kinerja.tombstone"


class Outbox:
    """Adds events to a service's outbox table; the relay publishes them after commit."""

    def __init__(self, tables: MessagingTables, *, source: str) -> None:
        self.tables = tables
        self.source = source
        self.committed = asyncio.Event()

    async def add(self, session: AsyncSession, payload: EventPayload) -> CloudEvent:
        """Queue one event in the session's transaction and return its envelope."""
        return (await self.add_many(session, [payload]))[0]

    async def add_many(
        self, session: AsyncSession, payloads: list[EventPayload]
    ) -> list[CloudEvent]:
        """Queue several events in one statement, keeping their order."""
        events = [p.to_event(source=self.source) for p in payloads]
        rows: list[dict[str, Any]] = [
            {
                "lane": lane_of(p.key()),
                "topic": p.topic,
                "key": p.key(),
                "event_id": e.id,
                "event_type": e.type,
                "payload": e.to_json(),
                "created_at": e.time,
            }
            for p, e in zip(payloads, events, strict=True)
        ]
        if rows:
            await session.execute(insert(self.tables.outbox), rows)
            session.sync_session.info[_WAKE_KEY] = self.committed
        return events

    async def tombstone(self, session: AsyncSession, *, topic: str, key: str) -> None:
        """Queue a tombstone (a record with this key and no value) for a compacted topic:
        compaction then drops every earlier record of the key. Published in order with the
        key's other records, like any event."""
        await session.execute(
            insert(self.tables.outbox),
            {
                "lane": lane_of(key),
                "topic": topic,
                "key": key,
                "event_id": new_event_id(),
                "event_type": TOMBSTONE,
                "payload": b"",
                "created_at": utcnow(),
            },
        )
        session.sync_session.info[_WAKE_KEY] = self.committed


@event.listens_for(Session, "after_commit")
def _wake_relay(session: Session) -> None:
    # Runs in the event loop's thread (async sessions drive the sync session there), so
    # setting the asyncio.Event directly is safe; the relay wakes without waiting to poll.
    wake = session.info.pop(_WAKE_KEY, None)
    if wake is not None:
        wake.set()


@event.listens_for(Session, "after_rollback")
def _forget_wake(session: Session) -> None:
    session.info.pop(_WAKE_KEY, None)
