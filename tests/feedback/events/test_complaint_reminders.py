"""Complaint deadline reminders on the real broker: each published once per deadline, whether
the scan runs again, in two replicas at the same time or after a restart."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from feedback.fixtures import Clock, create_point, seed_directory, submission, submit
from httpx import ASGITransport, AsyncClient

from kinerja_feedback.models import metadata
from kinerja_feedback.reminders.service import SCAN
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.topics import FEEDBACK
from kinerja_shared.kafka_client import client_options
from kinerja_shared.runtime import ServiceRuntime
from kinerja_shared.settings import KafkaSettings
from support.database import empty_tables
from support.gateway_assertion import AsGateway

pytestmark = pytest.mark.kafka

REMINDED = "id.denpasar.kinerja.complaint.duty_reminded.v1"
# Received Wednesday 4 March 2026: the first response is due Monday 9 March, the resolution
# (a simple complaint, 5 working days) Wednesday 11 March.
FRIDAY = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
TUESDAY = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)

Replica = Callable[..., Any]


@pytest.fixture
async def replica(
    feedback_db: str, app_factory: Callable[..., Any], kafka_bootstrap: str, clock: Clock
) -> AsyncIterator[Replica]:
    """Starts service processes on the test's database and topics, all on the test clock
    (the endpoints' and the scan's); the scan runs only when a test asks."""
    await empty_tables(feedback_db, metadata)
    namespace = f"t{uuid.uuid4().hex[:10]}."

    @asynccontextmanager
    async def start(*, relay: bool = True) -> AsyncIterator[tuple[ServiceRuntime, AsyncClient]]:
        app = app_factory(
            run_relay=relay,
            outbox_poll_seconds=0.05,
            reminder_scan_seconds=0,
            kafka={"bootstrap_servers": kafka_bootstrap, "namespace": namespace},
        )
        runtime: ServiceRuntime = app.state.runtime

        async def now() -> datetime:
            return clock()

        runtime.clock = now
        async with (
            app.router.lifespan_context(app),
            AsyncClient(
                transport=ASGITransport(app), base_url="http://f", auth=AsGateway("feedback")
            ) as http,
        ):
            http.app = app  # type: ignore[attr-defined]
            yield runtime, http

    return start


async def reminders_on_the_stream(kafka: KafkaSettings, expected: int) -> list[CloudEvent]:
    """The reminders on the feedback topic: wait for `expected`, then a moment more for any
    duplicate."""
    consumer = AIOKafkaConsumer(
        kafka.namespace + FEEDBACK,
        **client_options(kafka),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: list[CloudEvent] = []

    async def read(timeout_ms: int) -> None:
        batch = await consumer.getmany(timeout_ms=timeout_ms)
        for records in batch.values():
            for record in records:
                event = CloudEvent.from_json(record.value)
                if event.type == REMINDED:
                    found.append(event)

    try:
        async with asyncio.timeout(30):
            while len(found) < expected:
                await read(500)
        await read(1500)
    finally:
        await consumer.stop()
    return found


async def file_complaint(runtime: ServiceRuntime, http: AsyncClient) -> str:
    await seed_directory(http.app)  # type: ignore[attr-defined]
    await create_point(http)
    body = submission(
        is_complaint=True, comment="Antrean panjang", contact={"phone": "081234567890"}
    )
    response = await submit(http, body)
    assert response.status_code == 201, response.text
    return str(response.json()["feedback_id"])


async def test_the_first_response_and_the_resolution_are_each_reminded_once(
    replica: Replica, clock: Clock
) -> None:
    async with replica() as (runtime, http):
        feedback_id = await file_complaint(runtime, http)
        clock.now = FRIDAY
        await runtime.run_periodic(SCAN)
        await runtime.run_periodic(SCAN)
        clock.now = TUESDAY
        await runtime.run_periodic(SCAN)
        await runtime.run_periodic(SCAN)
        events = await reminders_on_the_stream(runtime.settings.kafka, expected=2)
    assert [(e.data["duty"], e.data["due_on"], e.data["working_days_left"]) for e in events] == [
        ("first_response", "2026-03-09", 1),
        ("resolution", "2026-03-11", 1),
    ]
    assert {e.data["feedback_id"] for e in events} == {feedback_id}
    assert all(e.subject == f"feedback/{feedback_id}" for e in events)
    assert "Antrean" not in str(events)
    assert "081234567890" not in str(events)


async def test_two_replicas_scanning_at_the_same_time_publish_each_reminder_once(
    replica: Replica, clock: Clock, feedback_db: str
) -> None:
    # SQLite is one replica by design: only PostgreSQL's relays share the outbox safely, so
    # on SQLite the second process scans but leaves publishing to the first.
    postgres = feedback_db.startswith("postgresql")
    async with replica() as (first, http), replica(relay=postgres) as (second, _):
        await file_complaint(first, http)
        clock.now = FRIDAY
        await asyncio.gather(first.run_periodic(SCAN), second.run_periodic(SCAN))
        events = await reminders_on_the_stream(first.settings.kafka, expected=1)
    assert len(events) == 1


async def test_a_restarted_service_does_not_publish_a_reminder_again(
    replica: Replica, clock: Clock
) -> None:
    async with replica() as (runtime, http):
        await file_complaint(runtime, http)
        clock.now = FRIDAY
        await runtime.run_periodic(SCAN)
        await reminders_on_the_stream(runtime.settings.kafka, expected=1)
    async with replica() as (restarted, _):
        await restarted.run_periodic(SCAN)
        events = await reminders_on_the_stream(restarted.settings.kafka, expected=1)
    assert len(events) == 1
