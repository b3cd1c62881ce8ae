"""Several outbox relays on one PostgreSQL database share the work and never publish twice."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from support.common import eventually, is_postgres_url
from support.kafka import read_topic
from support.notes_service import (
    TEST_TOPIC,
    NoteAdded,
    make_runtime,
    make_settings,
    namespace_of,
    tables,
)

pytestmark = pytest.mark.kafka


async def test_two_relays_on_postgres_never_publish_the_same_row_twice(
    database_url: str, kafka_bootstrap: str, unique: str
) -> None:
    if not is_postgres_url(database_url):
        pytest.skip("row locks with SKIP LOCKED need PostgreSQL (CI runs this on it)")
    namespace = namespace_of(unique)
    first = make_runtime(make_settings(database_url, kafka_bootstrap, namespace))
    second = make_runtime(make_settings(database_url, kafka_bootstrap, namespace))
    for relay in (first.relay, second.relay):
        relay.batch_size = 50
        relay.lanes_per_claim = 3
    keys = [f"r{i}-{unique}" for i in range(40)]
    total = 2000
    async with first.sessions() as session, session.begin():
        await first.outbox.add_many(
            session, [NoteAdded(note_id=keys[n % 40], seq=n) for n in range(total)]
        )
    await asyncio.gather(first.start(), second.start())
    try:

        async def drained() -> bool:
            async with first.sessions() as session:
                pending = await session.scalar(
                    select(func.count())
                    .select_from(tables.outbox)
                    .where(tables.outbox.c.sent_at.is_(None))
                )
            return pending == 0

        await eventually(drained, timeout=60, message="the backlog was not published")
        records = await read_topic(kafka_bootstrap, namespace + TEST_TOPIC, set(keys), total)
    finally:
        await asyncio.gather(first.stop(), second.stop())

    ids = Counter(event.id for _, event, _ in records)
    assert len(ids) == total
    assert max(ids.values()) == 1, "an outbox row was published twice"
    assert first.relay.stats.published + second.relay.stats.published == total
    assert first.relay.stats.published > 0
    assert second.relay.stats.published > 0
    for key in keys:
        seqs = [e.data["seq"] for k, e, _ in records if k.decode() == key]
        assert seqs == sorted(seqs), f"events of {key} out of order"
