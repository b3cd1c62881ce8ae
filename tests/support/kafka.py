"""Reading what really reached Kafka (every client built through client_options)."""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer

from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.kafka_client import client_options
from kinerja_shared.settings import KafkaSettings


def settings_of(kafka: str | KafkaSettings) -> KafkaSettings:
    """Settings as given, or those of the environment for a bootstrap address."""
    return kafka if isinstance(kafka, KafkaSettings) else KafkaSettings(bootstrap_servers=kafka)


async def read_topic(
    kafka: str | KafkaSettings, topic: str, keys: set[str], expected: int, timeout: float = 30
) -> list[tuple[bytes, CloudEvent, dict[str, bytes]]]:
    """Read the topic from the beginning (no group) until `expected` records of `keys`."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(settings_of(kafka)),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[tuple[bytes, CloudEvent, dict[str, bytes]]] = []
    try:
        async with asyncio.timeout(timeout):
            while len(found) < expected:
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    for r in records:
                        if r.key is not None and r.key.decode() in keys:
                            found.append((r.key, CloudEvent.from_json(r.value), dict(r.headers)))
        # Anything more would be a duplicate: give it a moment to show up.
        extra = await consumer.getmany(timeout_ms=1000)
        for records in extra.values():
            found.extend(
                (r.key, CloudEvent.from_json(r.value), dict(r.headers))
                for r in records
                if r.key is not None and r.key.decode() in keys
            )
    finally:
        await consumer.stop()
    return found
