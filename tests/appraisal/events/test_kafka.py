"""Events on the real Kafka broker: what the service publishes and what it consumes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from appraisal.helpers import Finalised, World
from httpx import ASGITransport, AsyncClient

from kinerja_appraisal.main import create_app
from kinerja_appraisal.settings import PREFIX, AppraisalSettings
from kinerja_shared.events.topics import APPRAISAL, REPORTING, ensure_topics, service_topic
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished
from kinerja_shared.relay import new_producer
from kinerja_shared.runtime import ServiceRuntime
from support.common import eventually
from support.gateway_assertion import AsGateway
from support.kafka import read_topic
from support.notes_service import namespace_of

pytestmark = pytest.mark.kafka


@pytest.fixture
def kafka_settings(database_url: str, kafka_bootstrap: str, unique: str) -> AppraisalSettings:
    """A service instance with relay and consumer on the test's own topics and group."""
    return AppraisalSettings(
        database_url=database_url,
        kafka={
            "bootstrap_servers": kafka_bootstrap,
            "partitions": 2,
            "namespace": namespace_of(unique),
        },
        consumer_group=f"appraisal-{unique}",
        outbox_poll_seconds=0.05,
        consumer_retry_backoff_seconds=0.01,
    )


@pytest.fixture
async def live(kafka_settings: AppraisalSettings) -> AsyncIterator[tuple[AsyncClient, World]]:
    """The app with its runtime started (relay and consumer running)."""
    app = create_app(kafka_settings)
    runtime: ServiceRuntime = app.state.runtime
    await runtime.start()
    try:
        async with AsyncClient(
            transport=ASGITransport(app, raise_app_exceptions=False),
            base_url=f"http://appraisal{PREFIX}",
            auth=AsGateway("appraisal"),
        ) as http:
            yield http, World(http, kafka_settings)
    finally:
        await runtime.stop()


async def test_unit_and_employee_events_reach_kafka_with_key_and_neither_nip_nor_name(
    live: tuple[AsyncClient, World], kafka_bootstrap: str, unique: str
) -> None:
    _, world = live
    unit = await world.unit(name="Dinas Kesehatan")
    employee = await world.employee(unit, name="Ni Luh Artini")
    records = await read_topic(
        kafka_bootstrap,
        namespace_of(unique) + APPRAISAL,
        {unit["id"], employee["id"]},
        expected=2,
    )
    by_key = {key.decode(): (event, headers) for key, event, headers in records}
    assert len(records) == 2
    unit_event, _ = by_key[unit["id"]]
    assert unit_event.type == "id.denpasar.kinerja.unit.upserted.v1"
    assert unit_event.source == "/kinerja/appraisal"
    assert unit_event.subject == f"unit/{unit['id']}"
    assert unit_event.data["code"] == unit["code"]
    employee_event, headers = by_key[employee["id"]]
    assert employee_event.type == "id.denpasar.kinerja.employee.upserted.v2"
    assert employee_event.data["staff_code"] == employee["staff_code"]
    assert employee_event.data["unit_id"] == unit["id"]
    assert employee["nip"] not in employee_event.model_dump_json()
    assert "Ni Luh Artini" not in employee_event.model_dump_json()
    assert "nip" not in employee_event.data
    assert "display_name" not in employee_event.data
    assert headers["content-type"] == b"application/cloudevents+json"


async def test_a_feedback_summary_from_reporting_is_stored_once(
    live: tuple[AsyncClient, World], kafka_bootstrap: str, unique: str
) -> None:
    client, world = live
    unit = await world.unit()
    employee = await world.employee(unit)
    topic = service_topic(REPORTING, world.settings.kafka)
    await ensure_topics(world.settings.kafka, [topic])
    payload = FeedbackSummaryPublished(
        summary_id=f"{employee['id']}/2026-Q1",
        employee_id=employee["id"],
        period_key="2026-Q1",
        responses=12,
        minimum_responses=5,
        sufficient=True,
        u6_mean=Decimal("3.42"),
        u7_mean=Decimal("3.75"),
        overall_rating_mean=Decimal("4.10"),
        computed_at=datetime(2026, 4, 2, tzinfo=UTC),
    )
    event = payload.to_event(source="/kinerja/reporting")
    producer = new_producer(world.settings.kafka)
    await producer.start()
    try:
        for _ in range(2):  # a redelivery must not apply twice
            await producer.send_and_wait(
                topic.name, value=event.to_json(), key=payload.key().encode()
            )
    finally:
        await producer.stop()

    async def stored() -> bool:
        response = await client.get(
            f"/employees/{employee['id']}/citizen-feedback", headers=world.admin
        )
        return bool(response.json())

    await eventually(stored, timeout=45, message="the summary was not stored")
    rows = (
        await client.get(f"/employees/{employee['id']}/citizen-feedback", headers=world.admin)
    ).json()
    assert len(rows) == 1
    assert rows[0]["responses"] == 12
    assert rows[0]["u7_mean"] == "3.75"
    runtime: ServiceRuntime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    await eventually(
        lambda: runtime.consumers[0].stats.duplicates + runtime.consumers[0].stats.processed >= 2,
        message="the duplicate was not seen",
    )
    assert runtime.consumers[0].stats.processed == 1


async def test_finalising_a_unit_publishes_assessment_and_development_plan_events(
    live: tuple[AsyncClient, World], kafka_bootstrap: str, unique: str
) -> None:
    _, world = live
    state = await Finalised.build(world)
    ids = state.assessments
    records = await read_topic(
        kafka_bootstrap, namespace_of(unique) + APPRAISAL, set(ids.values()), expected=4
    )
    finalized = {
        key.decode(): event
        for key, event, _ in records
        if event.type == "id.denpasar.kinerja.assessment.finalized.v1"
    }
    assert set(finalized) == set(ids.values())
    event = finalized[ids["c"]]
    assert event.subject == f"assessment/{ids['c']}"
    assert (event.data["hasil"], event.data["perilaku"], event.data["predikat"]) == (
        "di_bawah",
        "sesuai",
        "butuh_perbaikan",
    )
    assert event.data["period_key"] == "2026-Q1"
    assert event.data["unit_id"] == state.team.unit["id"]
    assert state.team.c["nip"] not in event.model_dump_json()


def summary(employee_id: str, period_key: str, **figures: object) -> FeedbackSummaryPublished:
    """A citizen feedback summary as the reporting service publishes it."""
    values: dict[str, object] = {
        "responses": 12,
        "minimum_responses": 5,
        "sufficient": True,
        "u6_mean": Decimal("3.42"),
        "u7_mean": Decimal("3.75"),
        "overall_rating_mean": Decimal("4.10"),
        "computed_at": datetime(2026, 4, 2, tzinfo=UTC),
    } | figures
    return FeedbackSummaryPublished(
        summary_id=f"{employee_id}/{period_key}",
        employee_id=employee_id,
        period_key=period_key,
        **values,  # type: ignore[arg-type]
    )


async def test_forged_feedback_summaries_are_dead_lettered_and_the_stored_summary_stands(
    live: tuple[AsyncClient, World], unique: str
) -> None:
    client, world = live
    employee = (await world.employee(await world.unit()))["id"]
    kafka = world.settings.kafka
    topic = service_topic(REPORTING, kafka)
    await ensure_topics(kafka, [topic])  # as its owner, the reporting service, would
    genuine = summary(employee, "2026-Q1").to_event(source="/kinerja/reporting")
    # Both published by a principal allowed to write to kinerja.reporting (the admin): one
    # claims to come from another service, one is dated 2099 so that it would never be
    # replaced. Either would stand as the employee's evidence for good.
    forged = summary(
        employee,
        "2026-Q1",
        responses=500,
        u7_mean=Decimal("1.00"),
        overall_rating_mean=Decimal("1.00"),
        computed_at=datetime(2099, 1, 1, tzinfo=UTC),
    )
    wrong_source = forged.to_event(source="/kinerja/feedback")
    from_the_future = forged.to_event(
        source="/kinerja/reporting", time=datetime(2099, 1, 1, tzinfo=UTC)
    )
    # A genuine summary of another period after them, on the same partition (same key).
    later = summary(employee, "2026-Q2").to_event(source="/kinerja/reporting")
    producer = new_producer(kafka)
    await producer.start()
    try:
        for event in (genuine, wrong_source, from_the_future, later):
            await producer.send_and_wait(
                topic.name, value=event.to_json(), key=genuine.subject.encode()
            )
    finally:
        await producer.stop()

    async def stored() -> list[dict[str, object]]:
        response = await client.get(f"/employees/{employee}/citizen-feedback", headers=world.admin)
        return list(response.json())

    async def both_periods() -> bool:
        return len(await stored()) == 2

    await eventually(both_periods, timeout=45, message="the genuine summaries were not stored")
    first = next(row for row in await stored() if row["period_key"] == "2026-Q1")
    assert (first["responses"], first["u7_mean"]) == (12, "3.75")
    runtime: ServiceRuntime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    assert runtime.consumers[0].stats.refused == 2
    dead = await read_topic(
        kafka, f"{kafka.namespace}{world.settings.consumer_group}.dlq", {genuine.subject}, 2
    )
    reasons = {event.id: headers["dlq.error"].decode() for _, event, headers in dead}
    assert reasons == {
        wrong_source.id: "NotGenuine: source /kinerja/feedback is not /kinerja/reporting,"
        " the owner of kinerja.reporting",
        from_the_future.id: "NotGenuine: time 2099-01-01T00:00:00+00:00 is in the future"
        " (beyond the allowed clock skew of 300 s)",
    }
