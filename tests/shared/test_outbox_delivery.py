"""The outbox and relay on a real Kafka broker: what is committed is published, nothing else."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from kinerja_shared.runtime import ServiceRuntime
from support.kafka import read_topic
from support.notes_service import (
    TEST_TOPIC,
    NoteAdded,
    add_note,
    make_runtime,
    make_settings,
    namespace_of,
    tables,
)

pytestmark = pytest.mark.kafka


async def test_a_committed_use_case_publishes_its_event_with_key_and_envelope(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    runtime = make_runtime(make_settings(database_url, kafka_bootstrap, namespace_of(unique)))
    await runtime.start()
    try:
        note_id = f"note-{unique}"
        sent = await add_note(runtime, note_id)
        records = await read_topic(kafka_bootstrap, namespace_of(unique) + TEST_TOPIC, {note_id}, 1)
    finally:
        await runtime.stop()
    assert len(records) == 1
    key, event, headers = records[0]
    assert key == note_id.encode()
    assert event.id == sent.id
    assert event.specversion == "1.0"
    assert event.type == "id.denpasar.kinerja.test.note_added.v1"
    assert event.source == "/kinerja/testsvc"
    assert event.subject == f"note/{note_id}"
    assert event.time.tzinfo is not None
    assert event.datacontenttype == "application/json"
    assert event.data == {"note_id": note_id, "seq": 0, "poison": False}
    assert headers["content-type"] == b"application/cloudevents+json"
    assert headers["ce_type"] == event.type.encode()


async def failing_use_case(runtime: ServiceRuntime, note_id: str) -> None:
    """Queue an event, then fail before commit."""
    async with runtime.sessions() as session, session.begin():
        await runtime.outbox.add(session, NoteAdded(note_id=note_id))
        raise RuntimeError("use case failed")


async def test_a_rolled_back_transaction_publishes_nothing(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    runtime = make_runtime(make_settings(database_url, kafka_bootstrap, namespace_of(unique)))
    await runtime.start()
    rolled_back, committed = f"gone-{unique}", f"kept-{unique}"
    try:
        with pytest.raises(RuntimeError, match="use case failed"):
            await failing_use_case(runtime, rolled_back)
        await add_note(runtime, committed)
        # The later, committed event arrives; the rolled-back one never does.
        records = await read_topic(
            kafka_bootstrap, namespace_of(unique) + TEST_TOPIC, {rolled_back, committed}, 1
        )
        async with runtime.sessions() as session:
            rows = await session.scalar(select(func.count()).select_from(tables.outbox))
    finally:
        await runtime.stop()
    assert [k for k, _, _ in records] == [committed.encode()]
    assert rows == 1


async def test_the_relay_publishes_a_backlog_in_order_per_key(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    runtime = make_runtime(
        make_settings(database_url, kafka_bootstrap, namespace_of(unique)), relay=False
    )
    keys = [f"k{i}-{unique}" for i in range(5)]
    for seq in range(40):
        await add_note(runtime, keys[seq % 5], seq=seq)
    runtime.settings.run_relay = True
    await runtime.start()
    try:
        records = await read_topic(
            kafka_bootstrap, namespace_of(unique) + TEST_TOPIC, set(keys), 40
        )
    finally:
        await runtime.stop()
    assert len(records) == 40
    for key in keys:
        seqs = [e.data["seq"] for k, e, _ in records if k.decode() == key]
        assert seqs == sorted(seqs)
        assert len(seqs) == 8
    assert len({e.id for _, e, _ in records}) == 40
    assert uuid.UUID(records[0][1].id)


async def test_a_trickle_of_commits_is_published_on_each_wake_not_on_the_poll(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    # The relay sleeps after a short batch until the next commit wakes it; with a poll of
    # ten minutes, a wake lost between reading a batch and sleeping would strand a row.
    settings = make_settings(database_url, kafka_bootstrap, namespace_of(unique))
    settings.outbox_poll_seconds = 600
    runtime = make_runtime(settings)
    await runtime.start()
    try:
        keys = {f"trickle-{unique}-{n}" for n in range(30)}
        for key in sorted(keys):
            await add_note(runtime, key)
        records = await read_topic(kafka_bootstrap, namespace_of(unique) + TEST_TOPIC, keys, 30)
    finally:
        await runtime.stop()
    assert {k.decode() for k, _, _ in records} == keys
