"""Events on the real broker: the directory arrives from kinerja.appraisal, and what the
service publishes on kinerja.feedback carries no personal data."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from feedback.fixtures import PREFIX, UNIT_HEAD, create_point, submission, submit
from httpx import ASGITransport, AsyncClient
from sqlalchemy import select

from kinerja_feedback.domain.redaction import personal_data_paths
from kinerja_feedback.models import DirectoryStaff, metadata
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, service_topic
from kinerja_shared.events.types.appraisal import EmployeeUpserted, UnitUpserted
from kinerja_shared.relay import new_producer
from support.common import eventually
from support.database import empty_tables
from support.gateway_assertion import AsGateway
from support.kafka import read_topic

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


async def publish_directory(app: Any, bootstrap: str) -> None:
    settings = app.state.settings
    topic = service_topic(APPRAISAL, settings.kafka).name
    producer = new_producer(bootstrap)
    await producer.start()
    try:
        for payload in (
            UnitUpserted(
                unit_id="unit-dauh-puri", code="DP", name="Kelurahan Dauh Puri", kind="kelurahan"
            ),
            EmployeeUpserted(
                employee_id="emp-1",
                staff_code="DP-001",
                display_name="Staf DP-001",
                kind="pns",
                position="Pelayanan",
                unit_id="unit-dauh-puri",
            ),
        ):
            event = payload.to_event(source="/kinerja/appraisal")
            await producer.send_and_wait(topic, event.to_json(), key=payload.key().encode())
    finally:
        await producer.stop()


async def test_directory_events_feed_and_published_events_hold_no_personal_data(
    live: AsyncClient, kafka_bootstrap: str
) -> None:
    app = live.app  # type: ignore[attr-defined]
    await publish_directory(app, kafka_bootstrap)

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
    assert (await live.post(f"{PREFIX}/track/{code}/withdraw")).status_code == 200
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
    assert "[telepon disembunyikan]" in records[2][1].data["comment_redacted"]
