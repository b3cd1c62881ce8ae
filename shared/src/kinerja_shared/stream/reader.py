"""Reading topics without disturbing anyone: manual partition assignment, no group commits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.kafka_client import client_options
from kinerja_shared.settings import KafkaSettings


@dataclass(frozen=True)
class StreamRecord:
    """One event as read from Kafka, with where it came from."""

    topic: str
    partition: int
    offset: int
    key: str | None
    timestamp_ms: int
    event: CloudEvent


def _to_ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


class TopicReader:
    """Reads a time range (or everything) of some topics, or follows them live."""

    def __init__(
        self, settings: KafkaSettings, topics: Sequence[str], group_id: str | None = None
    ) -> None:
        self.topics = list(topics)
        self.group_id = group_id
        self.consumer = AIOKafkaConsumer(
            **client_options(settings),
            group_id=group_id,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )
        self.partitions: list[TopicPartition] = []

    async def __aenter__(self) -> TopicReader:
        await self.consumer.start()
        for topic in self.topics:
            found = self.consumer.partitions_for_topic(topic)
            if found is None:
                await self.consumer._client.force_metadata_update()
                found = self.consumer.partitions_for_topic(topic) or set()
            if not found:
                raise LookupError(f"topic {topic} does not exist")
            self.partitions.extend(TopicPartition(topic, p) for p in sorted(found))
        self.consumer.assign(self.partitions)
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.consumer.stop()

    async def range_bounds(
        self, since: datetime | None, until: datetime | None
    ) -> tuple[dict[TopicPartition, int], dict[TopicPartition, int]]:
        """Start and end offsets per partition for a time range (end exclusive)."""
        beginning = await self.consumer.beginning_offsets(self.partitions)
        end = await self.consumer.end_offsets(self.partitions)
        start = dict(beginning)
        if since is not None:
            found = await self.consumer.offsets_for_times(
                dict.fromkeys(self.partitions, _to_ms(since))
            )
            start = {tp: (f.offset if f else end[tp]) for tp, f in found.items()}
        stop = dict(end)
        if until is not None:
            found = await self.consumer.offsets_for_times(
                dict.fromkeys(self.partitions, _to_ms(until))
            )
            stop = {tp: (f.offset if f else end[tp]) for tp, f in found.items()}
        return start, stop

    async def read_range(
        self, start: dict[TopicPartition, int], stop: dict[TopicPartition, int]
    ) -> AsyncIterator[StreamRecord]:
        """Every record between the bounds, partition by partition interleaved as fetched."""
        remaining = {tp for tp in self.partitions if start[tp] < stop[tp]}
        for tp in self.partitions:
            self.consumer.seek(tp, start[tp])
        while remaining:
            batch = await self.consumer.getmany(*remaining, timeout_ms=1000)
            for tp, records in batch.items():
                for record in records:
                    if record.offset >= stop[tp]:
                        remaining.discard(tp)
                        break
                    if record.value is not None:  # a tombstone deletes, it is no event
                        yield _record(record)
                if tp in remaining and await self.consumer.position(tp) >= stop[tp]:
                    remaining.discard(tp)

    async def follow(self, from_beginning: bool) -> AsyncIterator[StreamRecord]:
        """Every new record from now (or from the beginning), until cancelled."""
        if from_beginning:
            await self.consumer.seek_to_beginning(*self.partitions)
        else:
            await self.consumer.seek_to_end(*self.partitions)
        while True:
            batch = await self.consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    if record.value is not None:  # a tombstone deletes, it is no event
                        yield _record(record)


def _record(record: Any) -> StreamRecord:
    return StreamRecord(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key.decode() if record.key else None,
        timestamp_ms=record.timestamp,
        event=CloudEvent.from_json(record.value),
    )


def as_json_line(record: StreamRecord) -> str:
    """One JSON Lines row: the envelope plus where it was read."""
    row = json.loads(record.event.model_dump_json())
    row["kafka"] = {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "key": record.key,
    }
    return json.dumps(row, ensure_ascii=False)
