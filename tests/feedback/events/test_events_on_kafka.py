"""Events on the real broker: the directory arrives from kinerja.appraisal, and what the
service publishes on kinerja.feedback carries no personal data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from feedback.fixtures import PREFIX, UNIT_HEAD, create_point, submission, submit, withdraw
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select

from kinerja_feedback.domain.redaction import personal_data_paths
from kinerja_feedback.models import DirectoryStaff, metadata
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    FEEDBACK_COMMENTS,
    ensure_topics,
    service_topic,
)
from kinerja_shared.events.types.appraisal import EmployeeUpserted, EmployeeUpsertedV1, UnitUpserted
from kinerja_shared.kafka_client import client_options
from kinerja_shared.relay import new_producer
from kinerja_shared.settings import KafkaSettings
from kinerja_shared.stream.topic_admin import plan
from support.common import eventually
from support.database import empty_tables
from support.gateway_assertion import AsGateway
from support.kafka import read_raw, read_topic

pytestmark = pytest.mark.kafka


@pytest.fixture
async def live(feedback_db: str, app_factory: Any, kafka_bootstrap: str):
    await empty_tables(feedback_db, metadata)
    unique = uuid.uuid4().hex[:10]
    app = app_factory(
        run_relay=True,
        run_consumers=True,
        outbox_poll_seconds=0.05,
        consumer_group=f"feedback-{unique}",
        kafka={"bootstrap_servers": kafka_bootstrap, "partitions": 1, "namespace": f"t{unique}."},
    )
    async with (
        app.router.lifespan_context(app),
        AsyncClient(
            transport=ASGITransport(app), base_url="http://f", auth=AsGateway("feedback")
        ) as http,
    ):
        http.app = app  # type: ignore[attr-defined]
        yield http


DAUH_PURI = UnitUpserted(
    unit_id="unit-dauh-puri", code="DP", name="Kelurahan Dauh Puri", kind="kelurahan"
)


async def publish_appraisal(app: Any, *payloads: EventPayload) -> None:
    """Publish as the appraisal service would (creating its topic, as it does)."""
    settings = app.state.settings
    spec = service_topic(APPRAISAL, settings.kafka)
    await ensure_topics(settings.kafka, [spec])
    producer = new_producer(settings.kafka)
    await producer.start()
    try:
        for payload in payloads:
            event = payload.to_event(source="/kinerja/appraisal")
            await producer.send_and_wait(spec.name, event.to_json(), key=payload.key().encode())
    finally:
        await producer.stop()


async def publish_directory(app: Any) -> None:
    """A unit and a staff member, as the appraisal service publishes them."""
    await publish_appraisal(
        app,
        DAUH_PURI,
        EmployeeUpserted(
            employee_id="emp-1",
            staff_code="DP-001",
            kind="pns",
            position="Pelayanan",
            unit_id="unit-dauh-puri",
        ),
    )


async def test_staff_from_an_old_v1_record_and_a_v2_one_reach_the_directory_without_names(
    live: AsyncClient,
) -> None:
    app = live.app  # type: ignore[attr-defined]
    await publish_appraisal(
        app,
        DAUH_PURI,
        EmployeeUpsertedV1(
            employee_id="emp-1",
            staff_code="DP-001",
            display_name="Ni Kadek Ayu",
            kind="pns",
            position="Pelayanan",
            unit_id="unit-dauh-puri",
        ),
        EmployeeUpserted(
            employee_id="emp-2",
            staff_code="DP-002",
            kind="pns",
            position="Pelayanan",
            unit_id="unit-dauh-puri",
        ),
    )

    async def staff() -> list[Any]:
        async with app.state.runtime.sessions() as session:
            return list((await session.execute(select(DirectoryStaff))).all())

    async def both_known() -> bool:
        return len(await staff()) == 2

    await eventually(both_known, message="the directory did not fill")
    assert "Ni Kadek Ayu" not in str(await staff())
    point = await create_point(live, staff_codes=["DP-001", "DP-002"])
    shown = await live.get(f"{PREFIX}/service-points/{point['id']}")
    assert shown.json()["staff"] == [{"staff_code": "DP-001"}, {"staff_code": "DP-002"}]


async def test_directory_events_feed_and_published_events_hold_no_personal_data(
    live: AsyncClient, kafka_bootstrap: str
) -> None:
    app = live.app  # type: ignore[attr-defined]
    await publish_directory(app)

    async def staff_known() -> bool:
        async with app.state.runtime.sessions() as session:
            return (await session.scalar(select(DirectoryStaff.staff_code))) == "DP-001"

    await eventually(staff_known, message="the directory did not arrive from kinerja.appraisal")
    await create_point(live)
    receipt = (
        await submit(
            live,
            submission(
                is_complaint=True,
                staff_code="DP-001",
                comment="Hubungi 0812-3456-7890 atau made@contoh.id, NIK 5171012345678901",
                contact={
                    "name": "Made Wirawan",
                    "phone": "081234567890",
                    "email": "made@contoh.id",
                },
                respondent={"sex": "L", "age_band": "36_45"},
            ),
        )
    ).json()
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    decided = await live.post(
        f"{PREFIX}/moderation/{fid}/decision", json={"decision": "approve"}, headers=UNIT_HEAD
    )
    assert decided.status_code == 200
    assert (await withdraw(live, code)).status_code == 200
    topic = service_topic(FEEDBACK, app.state.settings.kafka).name
    records = await read_topic(kafka_bootstrap, topic, {fid}, expected=4)
    types = [
        event.type.removeprefix("id.denpasar.kinerja.").rsplit(".", 1)[0] for _, event, _ in records
    ]
    assert types == [
        "feedback.submitted",
        "complaint.status_changed",
        "feedback.moderated",
        "feedback.withdrawn",
    ]
    for _, event, _ in records:
        assert personal_data_paths(event.data) == [], event.data
        flat = str(event.data)
        assert "Made Wirawan" not in flat
        assert "36_45" not in flat
    submitted = records[0][1].data
    assert submitted["employee_id"] == "emp-1"
    assert submitted["answers"]["U1"] == 3
    assert records[2][1].data["comment_redacted"] is None  # comments travel elsewhere


async def test_a_published_comment_goes_to_the_compacted_topic_and_withdrawal_tombstones_it(
    live: AsyncClient, kafka_bootstrap: str
) -> None:
    app = live.app  # type: ignore[attr-defined]
    await publish_directory(app)

    async def unit_known() -> bool:
        async with app.state.runtime.sessions() as session:
            return (await session.scalar(select(DirectoryStaff.staff_code))) == "DP-001"

    await eventually(unit_known, message="the directory did not arrive from kinerja.appraisal")
    await create_point(live)
    receipt = (await submit(live, submission(comment="Ramah. Telepon saya 0812 3456 7890"))).json()
    fid, code = receipt["feedback_id"], receipt["tracking_code"]
    decided = await live.post(
        f"{PREFIX}/moderation/{fid}/decision", json={"decision": "approve"}, headers=UNIT_HEAD
    )
    assert decided.status_code == 200, decided.text
    topic = service_topic(FEEDBACK_COMMENTS, app.state.settings.kafka).name
    await read_raw(kafka_bootstrap, topic, {fid}, expected=1)  # published before withdrawn
    assert (await withdraw(live, code)).status_code == 200
    [(key, published), (tombstone_key, tombstone)] = await read_raw(
        kafka_bootstrap, topic, {fid}, expected=2
    )
    assert key == tombstone_key == fid
    assert published is not None
    event = CloudEvent.from_json(published)
    assert event.type == "id.denpasar.kinerja.feedback_comment.published.v1"
    assert event.data["comment_redacted"].startswith("Ramah.")
    assert "3456" not in event.data["comment_redacted"]
    assert tombstone is None
    # The topic is compacted within a bounded time, exactly as settings describe it.
    spec = service_topic(FEEDBACK_COMMENTS, app.state.settings.kafka)
    assert spec.config["cleanup.policy"] == "compact"
    assert int(spec.config["max.compaction.lag.ms"]) <= 86_400_000
    admin = AIOKafkaAdminClient(**client_options(KafkaSettings(bootstrap_servers=kafka_bootstrap)))
    await admin.start()
    try:
        assert await plan(admin, [spec]) == []
    finally:
        await admin.close()
