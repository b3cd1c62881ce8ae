"""A database error is logged (and dead-lettered) without the values bound to its statement:
they are personal data as often as not."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.topics import ensure_topics, service_topic
from kinerja_shared.kafka_client import client_options
from kinerja_shared.runtime import ConsumerSpec, ServiceRuntime
from support.common import eventually
from support.notes_service import (
    TEST_TOPIC,
    NoteAdded,
    make_settings,
    metadata,
    namespace_of,
    notes,
)

pytestmark = pytest.mark.kafka

PERSON = "Ni Kadek Ayu Lestari"
router = EventRouter()


@router.on(NoteAdded)
async def write_a_note_twice(session: AsyncSession, event: CloudEvent, payload: NoteAdded) -> None:
    """A handler whose second insert breaks the primary key, with a name among its values."""
    for _ in range(2):
        await session.execute(insert(notes).values(id=payload.note_id, text=PERSON))


async def test_an_integrity_error_is_logged_and_dead_lettered_without_its_bound_values(
    database_url: str, kafka_bootstrap: str, unique: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    settings = make_settings(
        database_url, kafka_bootstrap, namespace_of(unique), consumer_max_attempts=1
    )
    settings.run_relay = False
    group = f"g-{unique}"
    topic = service_topic(TEST_TOPIC, settings.kafka)
    await ensure_topics(settings.kafka, [topic])
    producer = AIOKafkaProducer(**client_options(settings.kafka))
    await producer.start()
    try:
        event = NoteAdded(note_id=f"n-{unique}").to_event(source="/kinerja/testsvc")
        await producer.send_and_wait(topic.name, event.to_json(), key=b"n")
    finally:
        await producer.stop()
    runtime = ServiceRuntime(
        settings,
        metadata,
        publishes=(TEST_TOPIC,),
        consumers=(ConsumerSpec(group_id=group, topics=(TEST_TOPIC,), router=router),),
    )
    await runtime.start()
    try:
        await eventually(
            lambda: runtime.consumers[0].stats.dead_lettered == 1, message="not dead-lettered"
        )
    finally:
        await runtime.stop()

    failures = [r for r in caplog.records if r.getMessage() == "event handler failed"]
    error: Any = failures[0].__dict__["error"]
    assert error.startswith("IntegrityError")
    assert "hidden" in error
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert PERSON not in logged
    dlq = AIOKafkaConsumer(
        f"{settings.kafka.namespace}{group}.dlq",
        **client_options(settings.kafka),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await dlq.start()
    try:
        batch = await dlq.getmany(timeout_ms=10000)
    finally:
        await dlq.stop()
    (record,) = [r for rs in batch.values() for r in rs]
    headers = dict(record.headers)
    assert headers["dlq.error"].startswith(b"IntegrityError")
    assert PERSON.encode() not in headers["dlq.error"]
