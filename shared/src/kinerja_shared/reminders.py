"""Publishing a deadline reminder once: the record of what was sent, written in the
transaction that queues the event, so another replica or a restarted process scanning the
same deadline publishes nothing. Each service keeps the record in its own `sent_reminder`
table (kind, subject id, deadline as the primary key) and decides what is due itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kinerja_shared.db import write_lock
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.runtime import ServiceRuntime
from kinerja_shared.upsert import insert_for


@dataclass(frozen=True, slots=True)
class Reminder:
    """One reminder: its identity (kind, subject, deadline) and the event to publish."""

    kind: str
    subject_id: str
    deadline: date
    payload: EventPayload


async def publish_once(
    runtime: ServiceRuntime, sent_table: Any, reminders: Iterable[Reminder], *, now: datetime
) -> int:
    """Queue the event of each reminder not yet recorded in `sent_table`; how many were.

    One short transaction per reminder: on SQLite it queues behind this process's other
    writers; a record that already exists (ON CONFLICT DO NOTHING) means it was sent.
    """
    sent = 0
    for reminder in reminders:
        async with write_lock(runtime.sessions), runtime.sessions() as session, session.begin():
            recorded = await session.execute(
                insert_for(session, sent_table)
                .values(
                    kind=reminder.kind,
                    subject_id=reminder.subject_id,
                    deadline=reminder.deadline,
                    sent_at=now,
                )
                .on_conflict_do_nothing()
            )
            if recorded.rowcount:  # type: ignore[attr-defined]
                await runtime.outbox.add(session, reminder.payload)
                sent += 1
    return sent
