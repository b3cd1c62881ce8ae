"""The idempotent consumer on a real Kafka broker: exactly-once effect, dead letters, outages."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord

from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.topics import ensure_topics, new_admin, service_topic
from kinerja_shared.kafka_client import client_options
from kinerja_shared.runtime import ServiceRuntime
from support.common import LocalBroker, eventually
from support.notes_service import (
    TEST_TOPIC,
    NoteAdded,
    TestServiceSettings,
    add_note,
    applied_count,
    applied_last_seq,
    batch_calls,
    make_runtime,
    make_settings,
    namespace_of,
)

pytestmark = pytest.mark.kafka


async def started(runtime: ServiceRuntime) -> ServiceRuntime:
    """Start a runtime and wait until its consumers have joined their groups."""
    await runtime.start()
    await eventually(
        lambda: all(c.stats.connected for c in runtime.consumers), message="consumer did not join"
    )
    return runtime


async def test_the_same_event_delivered_twice_changes_state_once(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    note_id = f"twice-{unique}"
    event = NoteAdded(note_id=note_id, seq=0).to_event(source="/kinerja/testsvc")
    # A later event of the same key lands on the same partition after both copies.
    marker = NoteAdded(note_id=note_id, seq=1).to_event(source="/kinerja/testsvc")
    settings = make_settings(database_url, kafka_bootstrap, namespace_of(unique))
    await ensure_topics(settings.kafka, [service_topic(TEST_TOPIC, settings.kafka)])
    producer = AIOKafkaProducer(**client_options(settings.kafka))
    await producer.start()
    try:
        for sent in (event, event, marker):
            await producer.send_and_wait(
                namespace_of(unique) + TEST_TOPIC, sent.to_json(), key=note_id.encode()
            )
    finally:
        await producer.stop()
    runtime = await started(
        make_runtime(
            make_settings(database_url, kafka_bootstrap, namespace_of(unique)),
            group_id=f"g-{unique}",
            relay=False,
        )
    )
    try:

        async def marker_applied() -> bool:
            return await applied_count(runtime, note_id) >= 2

        await eventually(marker_applied, message="the marker event was not applied")
        await asyncio.sleep(0.5)
        assert await applied_count(runtime, note_id) == 2
        assert runtime.consumers[0].stats.duplicates >= 1
    finally:
        await runtime.stop()


async def test_a_handler_that_always_fails_dead_letters_and_the_partition_moves_on(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    group = f"g-{unique}"
    runtime = await started(
        make_runtime(
            make_settings(database_url, kafka_bootstrap, namespace_of(unique)), group_id=group
        )
    )
    note_id = f"poison-{unique}"
    try:
        poison = await add_note(runtime, note_id, seq=1, poison=True)
        await add_note(runtime, note_id, seq=2)  # same key: same partition, after the poison
        await eventually(lambda: applied_count(runtime, note_id), message="later event not applied")
        assert runtime.consumers[0].stats.dead_lettered == 1
    finally:
        await runtime.stop()

    dlq = AIOKafkaConsumer(
        f"{namespace_of(unique)}{group}.dlq",
        **client_options(runtime.settings.kafka),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await dlq.start()
    try:
        batch = await dlq.getmany(timeout_ms=10000)
    finally:
        await dlq.stop()
    records = [r for rs in batch.values() for r in rs]
    assert len(records) == 1
    headers = dict(records[0].headers)
    assert b"poison note" in headers["dlq.error"]
    assert headers["dlq.original.topic"] == (namespace_of(unique) + TEST_TOPIC).encode()
    assert int(headers["dlq.original.offset"]) >= 0
    assert headers["dlq.original.partition"].isdigit()
    assert headers["dlq.attempts"] == b"3"
    assert headers["ce_id"] == poison.id.encode()
    assert records[0].key == note_id.encode()


async def test_writes_succeed_while_kafka_is_down_and_every_event_arrives_once_in_order(
    database_url: str, tmp_path: Path, unique: str
) -> None:
    broker = LocalBroker(tmp_path / "kafka")
    broker.start()
    runtime = await started(
        make_runtime(
            make_settings(database_url, broker.bootstrap, namespace_of(unique)),
            group_id=f"g-{unique}",
        )
    )
    keys = [f"outage{i}-{unique}" for i in range(5)]
    try:
        await add_note(runtime, keys[0], seq=0)
        await eventually(lambda: applied_count(runtime, keys[0]), message="warm-up not applied")

        broker.stop()
        for seq in range(1, 51):  # every write commits although Kafka is gone
            await add_note(runtime, keys[seq % 5], seq=seq)
        await asyncio.sleep(1)
        assert runtime.relay.stats.published == 1
        broker.start()

        async def all_applied() -> bool:
            counts = [await applied_count(runtime, k) for k in keys]
            return counts == [11, 10, 10, 10, 10]

        await eventually(all_applied, timeout=90, message="events lost after the outage")
        await asyncio.sleep(1)  # a duplicate delivery would show up as a higher count
        assert [await applied_count(runtime, k) for k in keys] == [11, 10, 10, 10, 10]
        assert runtime.consumers[0].stats.dead_lettered == 0
    finally:
        await runtime.stop()
        broker.stop()


async def test_a_batch_handler_folds_a_backlog_into_few_calls_with_the_same_effect(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = make_settings(database_url, kafka_bootstrap, namespace_of(unique))
    writer = make_runtime(settings)  # fills the topic first: the consumer then sees a backlog
    await writer.start()
    keys = [f"b{i}-{unique}" for i in range(4)]
    try:
        for seq in range(200):
            await add_note(writer, keys[seq % 4], seq=seq)
        await eventually(lambda: writer.relay.stats.published == 200, message="not published")
    finally:
        await writer.stop()
    batch_calls.clear()
    reader = await started(
        make_runtime(
            make_settings(database_url, kafka_bootstrap, namespace_of(unique)),
            group_id=f"g-{unique}",
            relay=False,
            batched=True,
        )
    )
    try:

        async def all_applied() -> bool:
            return [await applied_count(reader, k) for k in keys] == [50, 50, 50, 50]

        await eventually(all_applied, message="the backlog was not applied")
        assert reader.consumers[0].stats.processed == 200
    finally:
        await reader.stop()
    assert sum(batch_calls) == 200
    assert len(batch_calls) < 20, "the backlog should be applied in batches, not one by one"


async def test_a_poison_event_inside_a_batch_is_dead_lettered_alone(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = make_settings(database_url, kafka_bootstrap, namespace_of(unique))
    writer = make_runtime(settings)
    await writer.start()
    note_id = f"mixed-{unique}"
    try:
        for seq in range(30):
            await add_note(writer, note_id, seq=seq, poison=seq == 10)
        await eventually(lambda: writer.relay.stats.published == 30, message="not published")
    finally:
        await writer.stop()
    reader = await started(
        make_runtime(
            make_settings(database_url, kafka_bootstrap, namespace_of(unique)),
            group_id=f"g-{unique}",
            relay=False,
            batched=True,
        )
    )
    try:

        async def rest_applied() -> bool:
            return await applied_count(reader, note_id) == 29

        await eventually(rest_applied, message="the good events were not applied")
        assert reader.consumers[0].stats.dead_lettered == 1
    finally:
        await reader.stop()


async def dead_letters(settings: TestServiceSettings, group: str) -> list[ConsumerRecord[Any, Any]]:
    """Every record of a group's dead-letter topic (read as the admin)."""
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
    return [r for rs in batch.values() for r in rs]


@pytest.mark.parametrize("batched", [False, True], ids=["one_by_one", "batched"])
async def test_events_not_from_the_topics_owner_or_from_the_future_are_dead_lettered_unapplied(
    database_url: str, kafka_bootstrap: str, unique: str, batched: bool
) -> None:
    note_id = f"forged-{unique}"
    owner = "/kinerja/testsvc"
    now = datetime.now(UTC)
    far_ahead = datetime(2099, 1, 1, tzinfo=UTC)
    events = [
        NoteAdded(note_id=note_id, seq=0).to_event(source=owner),
        # Someone allowed to write to the topic (here the admin) poses as another service...
        NoteAdded(note_id=note_id, seq=1).to_event(source="/kinerja/feedback"),
        # ... or dates an event far ahead, so that it would win every "newest" comparison.
        NoteAdded(note_id=note_id, seq=2).to_event(source=owner, time=far_ahead),
        # A minute ahead is clock skew, not forgery (default allowance: five minutes).
        NoteAdded(note_id=note_id, seq=3).to_event(source=owner, time=now + timedelta(minutes=1)),
    ]
    settings = make_settings(database_url, kafka_bootstrap, namespace_of(unique))
    await ensure_topics(settings.kafka, [service_topic(TEST_TOPIC, settings.kafka)])
    producer = AIOKafkaProducer(**client_options(settings.kafka))
    await producer.start()
    try:
        for event in events:  # one key: one partition, in this order (a backlog for the batch)
            await producer.send_and_wait(
                settings.kafka.namespace + TEST_TOPIC, event.to_json(), key=note_id.encode()
            )
    finally:
        await producer.stop()
    group = f"g-{unique}"
    runtime = await started(make_runtime(settings, group_id=group, relay=False, batched=batched))
    try:

        async def last_applied() -> bool:
            return await applied_last_seq(runtime, note_id) == 3

        await eventually(
            last_applied, message="the genuine events after the forged were not applied"
        )
        assert await applied_count(runtime, note_id) == 2
        stats = runtime.consumers[0].stats
        assert (stats.refused, stats.dead_lettered, stats.processed) == (2, 2, 2)
    finally:
        await runtime.stop()
    records = await dead_letters(settings, group)
    reasons = {CloudEvent.from_json(r.value).id: dict(r.headers) for r in records}
    assert set(reasons) == {events[1].id, events[2].id}
    wrong_source = reasons[events[1].id]
    assert wrong_source["dlq.error"] == (
        b"NotGenuine: source /kinerja/feedback is not /kinerja/testsvc, the owner of kinerja.test"
    )
    assert wrong_source["dlq.attempts"] == b"1"
    assert b"time 2099-01-01T00:00:00+00:00 is in the future" in reasons[events[2].id]["dlq.error"]
    assert reasons[events[2].id]["dlq.attempts"] == b"1"


async def test_a_consumer_waits_for_the_owner_to_create_the_topic_it_reads_instead_of_creating_it(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    settings = make_settings(database_url, kafka_bootstrap, namespace_of(unique))
    topic = namespace_of(unique) + TEST_TOPIC
    reader = make_runtime(settings, group_id=f"g-{unique}", relay=False)
    await reader.start()
    writer: ServiceRuntime | None = None
    try:
        await eventually(
            lambda: reader.consumers[0].stats.waiting_for == [topic],
            message="the consumer did not wait for the topic",
        )
        admin = new_admin(settings.kafka)
        await admin.start()
        try:
            assert topic not in await admin.list_topics()
        finally:
            await admin.close()
        # The owner starts: its relay creates the topic, and the reader joins.
        writer = make_runtime(make_settings(database_url, kafka_bootstrap, namespace_of(unique)))
        await writer.start()
        await add_note(writer, f"late-{unique}")
        await eventually(
            lambda: applied_count(reader, f"late-{unique}"), message="the event was not applied"
        )
        assert reader.consumers[0].stats.waiting_for == []
    finally:
        await reader.stop()
        if writer is not None:
            await writer.stop()
