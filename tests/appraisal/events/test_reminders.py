"""Deadline reminders on the real broker: each published once per deadline, whether the
scan runs again, in two replicas at the same time or after a restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer
from appraisal.helpers import SIMPLE_PLAN, Finalised, Team, World, ratings
from httpx import ASGITransport, AsyncClient

from kinerja_appraisal.main import create_app
from kinerja_appraisal.reminders.service import SCAN
from kinerja_appraisal.settings import PREFIX, AppraisalSettings
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.topics import APPRAISAL
from kinerja_shared.kafka_client import client_options
from kinerja_shared.runtime import ServiceRuntime
from support.gateway_assertion import AsGateway
from support.kafka import settings_of
from support.notes_service import namespace_of

pytestmark = pytest.mark.kafka

SKP = "id.denpasar.kinerja.skp.reminded.v1"
DRAFT = "id.denpasar.kinerja.assessment.draft_reminded.v1"
OBJECTION = "id.denpasar.kinerja.assessment.objection_window_reminded.v1"


@pytest.fixture
def kafka_settings(database_url: str, kafka_bootstrap: str, unique: str) -> AppraisalSettings:
    """A service instance on the test's own topics; the scan runs only when a test asks."""
    return AppraisalSettings(
        database_url=database_url,
        kafka={"bootstrap_servers": kafka_bootstrap, "namespace": namespace_of(unique)},
        consumer_group=f"appraisal-{unique}",
        outbox_poll_seconds=0.05,
        reminder_scan_seconds=0,
    )


@asynccontextmanager
async def replica(
    settings: AppraisalSettings, moment: datetime | None = None
) -> AsyncIterator[tuple[ServiceRuntime, World]]:
    """One running service process whose clock reads `moment`."""
    app = create_app(settings)
    runtime: ServiceRuntime = app.state.runtime
    if moment is not None:

        async def at_moment() -> datetime:
            return moment

        runtime.clock = at_moment
    await runtime.start()
    try:
        async with AsyncClient(
            transport=ASGITransport(app, raise_app_exceptions=False),
            base_url=f"http://appraisal{PREFIX}",
            auth=AsGateway("appraisal"),
        ) as http:
            yield runtime, World(http, settings)
    finally:
        await runtime.stop()


async def reminders_on_the_stream(
    settings: AppraisalSettings, event_type: str, expected: int
) -> list[CloudEvent]:
    """The events of a type on the appraisal topic: wait for `expected`, then a moment more
    for any duplicate."""
    consumer = AIOKafkaConsumer(
        settings.kafka.namespace + APPRAISAL,
        **client_options(settings_of(settings.kafka)),
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
                if event.type == event_type:
                    found.append(event)

    try:
        async with asyncio.timeout(30):
            while len(found) < expected:
                await read(500)
        await read(1500)
    finally:
        await consumer.stop()
    return found


def by(events: list[CloudEvent], field: str) -> dict[str, dict[str, Any]]:
    return {event.data[field]: event.data for event in events}


async def test_an_unacknowledged_result_is_reminded_once_before_its_objection_window_closes(
    kafka_settings: AppraisalSettings,
) -> None:
    later = datetime.now(UTC) + timedelta(days=12)
    async with replica(kafka_settings, later) as (runtime, world):
        state = await Finalised.build(world)
        ids, team = state.assessments, state.team
        await world.client.post(
            f"/assessments/{ids['a']}/acknowledge", headers=world.as_employee(team.a)
        )
        objection = await world.client.post(
            f"/assessments/{ids['b']}/objections",
            json={"reasons": "Hasil kerja saya lebih baik"},
            headers=world.as_employee(team.b),
        )
        assert objection.status_code == 201, objection.text
        await runtime.run_periodic(SCAN)
        await runtime.run_periodic(SCAN)
        events = await reminders_on_the_stream(kafka_settings, OBJECTION, expected=2)
    assert len(events) == 2
    assert set(by(events, "assessment_id")) == {ids["c"], ids["h"]}
    reminder = by(events, "assessment_id")[ids["c"]]
    assert reminder["employee_id"] == team.c["id"]
    assert reminder["period_key"] == "2026-Q1"
    assert reminder["days_left"] == 2
    assert team.c["nip"] not in str(events)
    assert team.c["name"] not in str(events)


async def test_an_skp_not_approved_is_reminded_once_before_the_period_ends(
    kafka_settings: AppraisalSettings,
) -> None:
    june_25 = datetime(2026, 6, 25, 2, 0, tzinfo=UTC)
    async with replica(kafka_settings, june_25) as (runtime, world):
        team = await Team.pair(world)
        await world.period(number=2)
        created = await world.client.post(
            "/skps", json=SIMPLE_PLAN, headers=world.as_employee(team.a)
        )
        assert created.status_code == 201, created.text
        submitted = await world.client.post(
            f"/skps/{created.json()['id']}/submit", headers=world.as_employee(team.a)
        )
        assert submitted.status_code == 200, submitted.text
        await runtime.run_periodic(SCAN)
        await runtime.run_periodic(SCAN)
        events = await reminders_on_the_stream(kafka_settings, SKP, expected=2)
    assert len(events) == 2
    reminders = by(events, "employee_id")
    assert set(reminders) == {team.a["id"], team.h["id"]}
    assert reminders[team.a["id"]]["reminder"] == "not_approved"
    assert reminders[team.a["id"]]["skp_id"] == created.json()["id"]
    assert reminders[team.a["id"]]["supervisor_id"] == team.h["id"]
    assert reminders[team.h["id"]]["reminder"] == "not_submitted"
    assert reminders[team.h["id"]]["skp_id"] is None
    assert reminders[team.a["id"]]["due_on"] == "2026-06-30"
    assert reminders[team.a["id"]]["days_left"] == 5


async def test_a_draft_assessment_is_reminded_once_before_the_unit_closes(
    kafka_settings: AppraisalSettings,
) -> None:
    april_12 = datetime(2026, 4, 12, 2, 0, tzinfo=UTC)
    async with replica(kafka_settings, april_12) as (runtime, world):
        team = await Team.build(world)
        period = await world.period()
        await world.advance(period, "start", "begin-assessment")
        body = {"employee_id": team.a["id"], "period_id": period["id"], **ratings("sesuai")}
        draft = await world.client.post("/assessments", json=body, headers=team.head(world, team.h))
        assert draft.status_code == 201, draft.text
        await runtime.run_periodic(SCAN)
        await runtime.run_periodic(SCAN)
        events = await reminders_on_the_stream(kafka_settings, DRAFT, expected=1)
    assert len(events) == 1
    assert events[0].data["assessment_id"] == draft.json()["id"]
    assert events[0].data["appraiser_id"] == team.h["id"]
    assert events[0].data["closes_on"] == "2026-04-14"
    assert events[0].data["days_left"] == 2


async def test_two_replicas_scanning_at_the_same_time_publish_each_reminder_once(
    kafka_settings: AppraisalSettings,
) -> None:
    june_25 = datetime(2026, 6, 25, 2, 0, tzinfo=UTC)
    # SQLite is one replica by design: only PostgreSQL's relays share the outbox safely, so
    # on SQLite the second process scans but leaves publishing to the first.
    postgres = kafka_settings.database_url.startswith("postgresql")
    other = kafka_settings.model_copy(update={"run_relay": postgres})
    async with (
        replica(kafka_settings, june_25) as (first, world),
        replica(other, june_25) as (second, _),
    ):
        await Team.build(world)
        await world.period(number=2)
        await asyncio.gather(first.run_periodic(SCAN), second.run_periodic(SCAN))
        events = await reminders_on_the_stream(kafka_settings, SKP, expected=5)
    assert len(events) == 5
    assert len(by(events, "employee_id")) == 5


async def test_a_restarted_service_does_not_publish_a_reminder_again(
    kafka_settings: AppraisalSettings,
) -> None:
    june_25 = datetime(2026, 6, 25, 2, 0, tzinfo=UTC)
    async with replica(kafka_settings, june_25) as (runtime, world):
        team = await Team.pair(world)
        await world.period(number=2)
        await runtime.run_periodic(SCAN)
        await reminders_on_the_stream(kafka_settings, SKP, expected=2)
    async with replica(kafka_settings, june_25) as (restarted, _):
        await restarted.run_periodic(SCAN)
        events = await reminders_on_the_stream(kafka_settings, SKP, expected=2)
    assert len(events) == 2
    assert set(by(events, "employee_id")) == {team.a["id"], team.h["id"]}


async def test_the_runtime_scans_by_itself_every_interval(
    kafka_settings: AppraisalSettings,
) -> None:
    settings = kafka_settings.model_copy(update={"reminder_scan_seconds": 0.2})
    june_25 = datetime(2026, 6, 25, 2, 0, tzinfo=UTC)
    async with replica(settings, june_25) as (_, world):
        team = await Team.pair(world)
        await world.period(number=2)
        events = await reminders_on_the_stream(settings, SKP, expected=2)
    assert set(by(events, "employee_id")) == {team.a["id"], team.h["id"]}
