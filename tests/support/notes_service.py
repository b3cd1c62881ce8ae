"""A tiny service built on the shared library (notes), for testing the event backbone."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.catalogue import EventPayload, event_type
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.topics import TOPIC_OWNERS
from kinerja_shared.messaging import LANES, messaging_tables
from kinerja_shared.runtime import ConsumerSpec, ServiceRuntime
from kinerja_shared.settings import ServiceSettings
from support.common import database_url_for

TEST_TOPIC = "kinerja.test"
#: The test service owns its topic as a real service owns its own (events/topics.py): its
#: consumers accept only /kinerja/testsvc events there.
TOPIC_OWNERS.setdefault(TEST_TOPIC, "testsvc")

metadata = MetaData()
notes = Table(
    "notes",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("text", String(200), nullable=False),
)
# The consumer's effect: how many times each note event was applied.
applied = Table(
    "applied",
    metadata,
    Column("note_id", String(64), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("last_seq", Integer, nullable=False),
)
tables = messaging_tables(metadata)


@event_type("test.note_added", version=1, topic=TEST_TOPIC, key="note_id", aggregate="note")
class NoteAdded(EventPayload):
    """A note was added (test event)."""

    note_id: str
    seq: int = 0
    poison: bool = False


class TestServiceSettings(ServiceSettings):
    """Settings of the test service."""

    service_name: ClassVar[str] = "testsvc"
    __test__ = False


router = EventRouter()


@router.on(NoteAdded)
async def apply_note(session: AsyncSession, event: CloudEvent, payload: NoteAdded) -> None:
    """Count each application; refuse poison events forever."""
    if payload.poison:
        raise RuntimeError(f"poison note {payload.note_id}")
    row = await session.execute(select(applied).where(applied.c.note_id == payload.note_id))
    found = row.first()
    if found is None:
        await session.execute(
            insert(applied).values(note_id=payload.note_id, count=1, last_seq=payload.seq)
        )
    else:
        if payload.seq < found.last_seq:
            raise AssertionError("events of one key arrived out of order")
        await session.execute(
            update(applied)
            .where(applied.c.note_id == payload.note_id)
            .values(count=found.count + 1, last_seq=payload.seq)
        )


batch_router = EventRouter()
#: Sizes of the lists the batch handler was called with (newest last).
batch_calls: list[int] = []


@batch_router.on_batch(NoteAdded)
async def apply_notes(session: AsyncSession, events: list[tuple[CloudEvent, NoteAdded]]) -> None:
    """The same effect as apply_note, folded per note: one statement per note in the batch."""
    batch_calls.append(len(events))
    per_note: dict[str, list[NoteAdded]] = {}
    for _, payload in events:
        if payload.poison:
            raise RuntimeError(f"poison note {payload.note_id}")
        per_note.setdefault(payload.note_id, []).append(payload)
    for note_id, payloads in per_note.items():
        found = (await session.execute(select(applied).where(applied.c.note_id == note_id))).first()
        last = max(p.seq for p in payloads)
        if found is None:
            await session.execute(
                insert(applied).values(note_id=note_id, count=len(payloads), last_seq=last)
            )
        else:
            await session.execute(
                update(applied)
                .where(applied.c.note_id == note_id)
                .values(count=found.count + len(payloads), last_seq=last)
            )


def make_settings(
    database_url: str, bootstrap: str, namespace: str, **overrides: object
) -> TestServiceSettings:
    """Settings for one test service instance; its topics live in the test's own namespace."""
    return TestServiceSettings(
        database_url=database_url,
        kafka={"bootstrap_servers": bootstrap, "partitions": 3, "namespace": namespace},
        outbox_poll_seconds=0.05,
        consumer_retry_backoff_seconds=0.01,
        **overrides,
    )


def make_runtime(
    settings: TestServiceSettings,
    *,
    group_id: str | None = None,
    relay: bool = True,
    batched: bool = False,
) -> ServiceRuntime:
    """A runtime publishing to the test topic and, if asked, consuming it in a fresh group."""
    chosen = batch_router if batched else router
    consumers = (
        (ConsumerSpec(group_id=group_id, topics=(TEST_TOPIC,), router=chosen),) if group_id else ()
    )
    settings.run_relay = relay
    return ServiceRuntime(settings, metadata, publishes=(TEST_TOPIC,), consumers=consumers)


@pytest.fixture
async def database_url(tmp_path: Path) -> str:
    """A clean test database with the tables created (as a migration would)."""
    url = database_url_for("kinerja_test", tmp_path)
    from kinerja_shared.db import create_engine

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.drop_all)
        await conn.run_sync(metadata.create_all)
        await conn.execute(insert(tables.outbox_lane), [{"lane": n} for n in range(LANES)])
    await engine.dispose()
    return url


@pytest.fixture
def unique() -> str:
    """A unique suffix for keys, group ids and the topic namespace of one test."""
    return uuid.uuid4().hex[:12]


def namespace_of(unique: str) -> str:
    """The topic namespace of one test."""
    return f"t{unique}."


async def add_note(
    runtime: ServiceRuntime, note_id: str, *, seq: int = 0, poison: bool = False
) -> CloudEvent:
    """The use case under test: write a note and its event in one transaction."""
    async with runtime.sessions() as session, session.begin():
        await session.execute(insert(notes).values(id=f"{note_id}:{seq}", text="hello"))
        return await runtime.outbox.add(session, NoteAdded(note_id=note_id, seq=seq, poison=poison))


async def applied_count(runtime: ServiceRuntime, note_id: str) -> int:
    """How many times the consumer applied events of one note."""
    async with runtime.sessions() as session:
        value = await session.scalar(select(applied.c.count).where(applied.c.note_id == note_id))
        return int(value or 0)


async def applied_last_seq(runtime: ServiceRuntime, note_id: str) -> int | None:
    """The seq of the last event of a note the consumer applied (None: none yet)."""
    async with runtime.sessions() as session:
        return await session.scalar(select(applied.c.last_seq).where(applied.c.note_id == note_id))


async def clear(runtime: ServiceRuntime) -> None:
    """Remove rows (used between phases of a test)."""
    async with runtime.sessions() as session, session.begin():
        await session.execute(delete(notes))
