"""End to end on the real broker: events in, reports out, summaries published, rebuild equal."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from reporting.conftest import token
from reporting.feeding import (
    NOW,
    all_nine,
    as_event,
    feedback,
    moderated,
    reviewed,
    service_point,
    service_users,
    unit,
    withdrawn,
)
from sqlalchemy import func, select

from kinerja_reporting.main import create_app
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, ensure_topics, service_topic
from kinerja_shared.events.types.appraisal import AssessmentFinalized, OrganisationPredikatSet
from kinerja_shared.kafka_client import client_options
from kinerja_shared.runtime import ServiceRuntime
from support.common import eventually
from support.gateway_assertion import AsGateway
from support.kafka import read_topic

pytestmark = pytest.mark.kafka

URL = "/api/v1/reporting"


@pytest.fixture
async def live_app(database_url: str, kafka_bootstrap: str) -> AsyncIterator[FastAPI]:
    """The app consuming its own namespaced topics in its own consumer group."""
    unique = uuid.uuid4().hex[:12]
    settings = ReportingSettings(
        database_url=database_url,
        consumer_group=f"reporting-{unique}",
        outbox_poll_seconds=0.05,
        kafka={"bootstrap_servers": kafka_bootstrap, "namespace": f"t{unique}.", "partitions": 3},
    )
    await ensure_topics(
        settings.kafka, [service_topic(t, settings.kafka) for t in (APPRAISAL, FEEDBACK)]
    )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


async def publish(app: FastAPI, *payloads: EventPayload) -> None:
    """Publish as the appraisal and feedback services would: CloudEvents keyed by aggregate."""
    settings: ReportingSettings = app.state.settings
    producer = AIOKafkaProducer(**client_options(settings.kafka), acks="all")
    await producer.start()
    try:
        for payload in payloads:
            await producer.send_and_wait(
                settings.kafka.namespace + payload.topic,
                value=as_event(payload).to_json(),
                key=payload.key().encode(),
            )
    finally:
        await producer.stop()


async def publish_raw(app: FastAPI, topic: str, value: bytes) -> None:
    """Publish a record no service would: the consumer must dead-letter it and move on."""
    settings: ReportingSettings = app.state.settings
    producer = AIOKafkaProducer(**client_options(settings.kafka))
    await producer.start()
    try:
        await producer.send_and_wait(settings.kafka.namespace + topic, value=value, key=b"junk")
    finally:
        await producer.stop()


async def snapshot(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, Any]:
    """Every report the test looks at, as JSON."""
    result: dict[str, Any] = {}
    for period in ("2026-03", "2026-Q1", "2026"):
        result[f"units {period}"] = (
            await client.get(f"{URL}/ikm/units", params={"period": period}, headers=headers)
        ).json()
        result[f"summaries {period}"] = (
            await client.get(f"{URL}/summaries", params={"period": period}, headers=headers)
        ).json()
    result["flags"] = (
        await client.get(f"{URL}/flags", params={"active": "false"}, headers=headers)
    ).json()
    result["raised"] = (await client.get(f"{URL}/flags", headers=headers)).json()
    result["distribution"] = (
        await client.get(
            f"{URL}/performance/units/u1/distribution", params={"period": "2026"}, headers=headers
        )
    ).json()
    return result


async def test_events_on_kafka_build_reports_that_a_rebuild_reproduces(
    live_app: FastAPI, kafka_bootstrap: str
) -> None:
    settings: ReportingSettings = live_app.state.settings
    analyst = token(settings, "analyst")
    admin = token(settings, "bkpsdm_admin")
    staff = [
        feedback("sp1", "u1", all_nine(3), employee_id="e1", overall=4, visit=date(2026, 3, d))
        for d in range(1, 7)
    ]
    low = feedback("sp2", "u2", all_nine(2))
    await publish(
        live_app,
        # feedback before the unit tree: the roll-up does not care
        *staff,
        low,
        feedback("sp2", "u2", all_nine(4), feedback_id="fb-rejected"),
        unit("root"),
        unit("u1", "root"),
        unit("u2", "root"),
        service_point("sp1", "u1"),
        service_point("sp2", "u2"),
        service_users("u1", "2026-03", 10),
        withdrawn(staff[0]),
        OrganisationPredikatSet(
            unit_id="u1", period_id="p2026", period_key="2026", predikat="baik"
        ),
        *[
            AssessmentFinalized(
                assessment_id=f"a{i}",
                employee_id=f"e{i}",
                unit_id="u1",
                appraiser_id="boss",
                period_id="p2026",
                period_key="2026",
                period_kind="annual",
                hasil="sesuai",
                perilaku="sesuai",
                predikat="baik",
                finalized_at=NOW,
            )
            for i in range(3)
        ],
    )
    await publish(
        live_app, moderated(feedback("sp2", "u2", {}, feedback_id="fb-rejected"), counted=False)
    )
    await publish_raw(live_app, FEEDBACK, b"not a cloud event")

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=live_app),
        base_url="http://reporting",
        auth=AsGateway("reporting"),
    ) as client:

        async def root_has_all() -> bool:
            response = await client.get(
                f"{URL}/ikm/units/root", params={"period": "2026-03"}, headers=analyst
            )
            return response.status_code == 200 and response.json()["respondents"] == 6

        await eventually(root_has_all, message="reports did not reflect the events")

        async def distribution_ready() -> bool:
            body = (await snapshot(client, analyst))["distribution"]
            return body.get("total") == 3

        await eventually(distribution_ready, message="assessments did not arrive")
        root = (
            await client.get(f"{URL}/ikm/units/root", params={"period": "2026-03"}, headers=analyst)
        ).json()
        # 5 staff feedback at 3 (u1) and one at 2 (u2): NRR = 17/6 -> IKM 70.83 (C)
        assert root["ikm"] == "70.83"
        assert root["band"] == "C"

        # Consecutive feedback events are applied as one batch, so a summary is published
        # once per batch that changed it (not once per event); the last one counts five.
        async def summary_settled() -> bool:
            summaries = await read_topic(
                kafka_bootstrap,
                settings.kafka.namespace + "kinerja.reporting",
                keys={"e1/2026-03"},
                expected=1,
            )
            last = summaries[-1][1].data
            return bool(last["responses"] == 5 and last["sufficient"] is True)

        await eventually(summary_settled, message="the summary did not settle at five")

        before = await snapshot(client, analyst)
        started = await client.post(f"{URL}/admin/rebuild", headers=admin)
        assert started.status_code == 202

        async def rebuilt() -> bool:
            body = (await client.get(f"{URL}/admin/rebuild", headers=admin)).json()
            return body["state"] in {"done", "failed"}

        await eventually(rebuilt, message="the rebuild did not finish")
        progress = (await client.get(f"{URL}/admin/rebuild", headers=admin)).json()
        assert progress["state"] == "done", progress
        assert progress["events_replayed"] == progress["events_total"] == 21
        assert progress["events_failed"] == 1  # the junk record, skipped
        assert await snapshot(client, analyst) == before


async def test_scores_held_from_an_employee_and_reviewed_on_kafka_come_back_after_a_rebuild(
    live_app: FastAPI,
) -> None:
    settings: ReportingSettings = live_app.state.settings
    runtime: ServiceRuntime = live_app.state.runtime
    analyst = token(settings, "analyst")
    admin = token(settings, "bkpsdm_admin")
    held = feedback("sp1", "u1", all_nine(1), employee_id="e1", staff_counted=False)
    released = feedback("sp1", "u1", all_nine(3), employee_id="e1", staff_counted=False)
    discarded = feedback("sp1", "u1", all_nine(1), employee_id="e1", staff_counted=True)
    legacy = feedback("sp1", "u1", all_nine(4), employee_id="e1")  # no staff_counted
    await publish(
        live_app,
        unit("u1"),
        service_point("sp1", "u1"),
        held,
        released,
        discarded,
        legacy,
        reviewed(released, counted=True, staff_counted=True),
        reviewed(discarded, counted=False, staff_counted=False),
    )

    async def all_applied() -> bool:
        inbox = runtime.tables.inbox
        async with runtime.sessions() as session:
            applied = await session.scalar(select(func.count()).select_from(inbox))
        return applied == 8

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=live_app),
        base_url="http://reporting",
        auth=AsGateway("reporting"),
    ) as client:
        await eventually(all_applied, message="the events were not applied")
        unit_ikm = (
            await client.get(f"{URL}/ikm/units/u1", params={"period": "2026"}, headers=analyst)
        ).json()
        summary = (
            await client.get(
                f"{URL}/summaries/employees/e1", params={"period": "2026"}, headers=analyst
            )
        ).json()
        assert (unit_ikm["respondents"], summary["responses"]) == (3, 2)

        before = await snapshot(client, analyst)
        started = await client.post(f"{URL}/admin/rebuild", headers=admin)
        assert started.status_code == 202

        async def rebuilt() -> bool:
            body = (await client.get(f"{URL}/admin/rebuild", headers=admin)).json()
            return body["state"] in {"done", "failed"}

        await eventually(rebuilt, message="the rebuild did not finish")
        progress = (await client.get(f"{URL}/admin/rebuild", headers=admin)).json()
        assert progress["state"] == "done", progress
        assert progress["events_replayed"] == progress["events_total"] == 8
        assert await snapshot(client, analyst) == before
