"""Analysts' tooling on a real broker: export without disturbing groups, topic settings."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiokafka import AIOKafkaProducer
from typer.testing import CliRunner

from kinerja_shared.events.topics import (
    FEEDBACK,
    TopicSpec,
    ensure_topics,
    new_admin,
    service_topic,
)
from kinerja_shared.events.types.feedback import FeedbackSubmitted, FeedbackWithdrawn
from kinerja_shared.kafka_client import client_options
from kinerja_shared.settings import KafkaSettings
from kinerja_shared.stream import topic_admin
from kinerja_shared.stream.cli import app as cli
from kinerja_shared.stream.export import Writer
from kinerja_shared.stream.reader import TopicReader
from support.notes_service import namespace_of

pytestmark = pytest.mark.kafka


def submitted(n: int) -> FeedbackSubmitted:
    return FeedbackSubmitted(
        feedback_id=f"fb-{n}",
        service_point_id="sp-1",
        unit_id="unit-1",
        channel="app",
        visit_date="2026-03-01",
        answers={"U1": 4, "U6": 3},
        counted=True,
        submitted_at=datetime(2026, 3, 1, tzinfo=UTC),
    )


async def publish(kafka: KafkaSettings, topic: str, count: int) -> None:
    producer = AIOKafkaProducer(**client_options(kafka))
    await producer.start()
    try:
        for n in range(count):
            payload = submitted(n)
            await producer.send(
                topic,
                payload.to_event(source="/kinerja/feedback").to_json(),
                key=payload.key().encode(),
            )
        withdrawn = FeedbackWithdrawn(
            feedback_id="fb-0",
            service_point_id="sp-1",
            unit_id="unit-1",
            withdrawn_at=datetime.now(UTC),
        )
        await producer.send_and_wait(
            topic, withdrawn.to_event(source="/kinerja/feedback").to_json(), key=b"fb-0"
        )
    finally:
        await producer.stop()


async def export_to(
    kafka: KafkaSettings,
    topic: str,
    out: Path,
    fmt: str,
    types: set[str],
    since: datetime | None = None,
) -> int:
    async with TopicReader(kafka, [topic]) as reader:
        start, stop = await reader.range_bounds(since, None)
        writer = Writer(out, fmt, types)
        async for record in reader.read_range(start, stop):
            if record.event.type in types:
                writer.write(record)
        writer.close()
        return writer.count


async def consumer_groups(kafka: KafkaSettings) -> set[str]:
    admin = new_admin(kafka)
    await admin.start()
    try:
        return {g[0] for g in await admin.list_consumer_groups()}
    finally:
        await admin.close()


async def test_export_writes_jsonl_csv_and_parquet_without_joining_a_group(
    kafka_bootstrap: str, unique: str, tmp_path: Path
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    topic = namespace_of(unique) + FEEDBACK
    await ensure_topics(kafka, [TopicSpec(topic, 3)])
    await publish(kafka, topic, 25)
    groups_before = await consumer_groups(kafka)
    only_submitted = {FeedbackSubmitted.cloudevents_type()}

    assert await export_to(kafka, topic, tmp_path / "e.jsonl", "jsonl", only_submitted) == 25
    lines = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert {line["data"]["feedback_id"] for line in lines} == {f"fb-{n}" for n in range(25)}
    assert lines[0]["kafka"]["topic"] == topic

    everything = {FeedbackSubmitted.cloudevents_type(), FeedbackWithdrawn.cloudevents_type()}
    assert await export_to(kafka, topic, tmp_path / "e.csv", "csv", everything) == 26
    rows = list(csv.DictReader((tmp_path / "e.csv").open()))
    assert len(rows) == 26
    assert {r["type"] for r in rows} == everything
    first = next(r for r in rows if r["data.feedback_id"] == "fb-3" and "submitted" in r["type"])
    assert json.loads(first["data.answers"]) == {"U1": 4, "U6": 3}

    assert await export_to(kafka, topic, tmp_path / "e.parquet", "parquet", only_submitted) == 25
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "e.parquet")
    assert table.num_rows == 25
    assert table.schema.field("data.counted").type == "bool"

    future = datetime.now(UTC) + timedelta(hours=1)
    assert (
        await export_to(kafka, topic, tmp_path / "n.jsonl", "jsonl", only_submitted, since=future)
        == 0
    )
    assert await consumer_groups(kafka) == groups_before


async def test_topic_settings_are_planned_then_applied(kafka_bootstrap: str, unique: str) -> None:
    settings = KafkaSettings(
        bootstrap_servers=kafka_bootstrap, namespace=namespace_of(unique), partitions=2
    )
    specs = topic_admin.desired_topics(settings)
    admin = new_admin(settings)
    await admin.start()
    try:
        first = await topic_admin.plan(admin, specs)
        assert [c.setting for c in first] == ["topic"] * len(specs)
        await topic_admin.apply(admin, specs, first)
        assert await topic_admin.plan(admin, specs) == []

        wider = KafkaSettings(
            bootstrap_servers=kafka_bootstrap,
            namespace=namespace_of(unique),
            partitions=4,
            retention_ms=86_400_000,
            replication_factor=3,
        )
        specs = topic_admin.desired_topics(wider)
        changes = await topic_admin.plan(admin, specs)
        described = sorted(c.describe() for c in changes if "appraisal" in c.topic)
        assert described == [
            f"{specs[0].name}: partitions 2 -> 4",
            f"{specs[0].name}: replication.factor 1 -> 3  [not applied: needs a partition "
            "reassignment (kafka-reassign-partitions)]",
            f"{specs[0].name}: retention.ms -1 -> 86400000",
        ]
        await topic_admin.apply(admin, specs, changes)
        left = await topic_admin.plan(admin, specs)
        assert {c.setting for c in left} == {"replication.factor"}
        narrower = topic_admin.desired_topics(
            KafkaSettings(
                bootstrap_servers=kafka_bootstrap,
                namespace=namespace_of(unique),
                partitions=1,
                retention_ms=86_400_000,
            )
        )
        shrink = [c for c in await topic_admin.plan(admin, narrower) if c.setting == "partitions"]
        assert shrink
        assert not any(c.applicable for c in shrink)
    finally:
        await admin.close()
    assert service_topic(FEEDBACK, settings).name == namespace_of(unique) + FEEDBACK


def test_the_export_command_writes_an_event_published_twice_once(
    kafka_bootstrap: str, unique: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kafka = KafkaSettings(bootstrap_servers=kafka_bootstrap)
    topic = namespace_of(unique) + FEEDBACK
    events = [submitted(n).to_event(source="/kinerja/feedback") for n in range(5)]

    async def publish_with_repeats() -> None:
        await ensure_topics(kafka, [TopicSpec(topic, 3)])
        producer = AIOKafkaProducer(**client_options(kafka))
        await producer.start()
        try:
            # What a relay that started over publishes: two events a second time.
            for event in [*events, events[1], events[3]]:
                await producer.send_and_wait(topic, event.to_json(), key=event.subject.encode())
        finally:
            await producer.stop()

    asyncio.run(publish_with_repeats())
    monkeypatch.setenv("KINERJA_TOPIC_NAMESPACE", namespace_of(unique))
    out = tmp_path / "once.jsonl"
    result = CliRunner().invoke(cli, ["export", "--out", str(out), "--topic", FEEDBACK])
    assert result.exit_code == 0, result.output
    ids = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert sorted(ids) == sorted(event.id for event in events)
    assert "2 repeated event(s) dropped" in result.output
