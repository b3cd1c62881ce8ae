"""The outbox relay when the broker stalls (frozen with SIGSTOP, not stopped): what it had
sent is on the topic once, however long the broker took to answer."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from support.common import LocalBroker, eventually
from support.kafka import read_topic
from support.notes_service import (
    TEST_TOPIC,
    add_note,
    make_runtime,
    make_settings,
    namespace_of,
    tables,
)

pytestmark = pytest.mark.kafka


async def test_events_relayed_while_the_broker_is_frozen_are_on_the_topic_once_after_it_resumes(
    database_url: str, kafka_bootstrap: str, tmp_path: Path, unique: str
) -> None:
    del kafka_bootstrap  # only its credentials: the test's own broker has the same principals
    broker = LocalBroker(tmp_path / "kafka")
    broker.start()
    namespace = namespace_of(unique)
    runtime = make_runtime(make_settings(database_url, broker.bootstrap, namespace))
    runtime.relay.stalled_after_seconds = 2
    keys = [f"stall{i}-{unique}" for i in range(5)]

    async def drained() -> bool:
        async with runtime.sessions() as session:
            pending = await session.scalar(
                select(func.count())
                .select_from(tables.outbox)
                .where(tables.outbox.c.sent_at.is_(None))
            )
        return pending == 0

    await runtime.start()
    try:
        await add_note(runtime, keys[0], seq=0)
        await eventually(lambda: runtime.relay.stats.published == 1, message="warm-up not sent")
        with broker.frozen():
            for seq in range(1, 21):
                await add_note(runtime, keys[seq % 5], seq=seq)
            # The relay has handed the rows to its producer and the broker answers nothing
            # for longer than the relay waits before it calls itself stalled (the relay before
            # this change gave up on its producer then and sent the rows again).
            await eventually(lambda: runtime.relay.stats.stalled, message="no stall reported")
        await eventually(drained, timeout=90, message="the outbox was not published")
        records = await read_topic(broker.bootstrap, namespace + TEST_TOPIC, set(keys), 21)
    finally:
        await runtime.stop()
        broker.stop()
    copies = Counter(event.id for _, event, _ in records)
    assert len(copies) == 21
    assert [n for n in copies.values() if n > 1] == []
