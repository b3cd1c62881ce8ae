"""A unit change consumed from Kafka by one replica is in the next report of another.

Each replica caches the unit tree; the replica that consumes ``unit.upserted`` replaces the
directory version in the same transaction, and the other replica's next report sees it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from reporting.conftest import token
from reporting.events.test_kafka_end_to_end import publish
from reporting.feeding import unit

from kinerja_reporting.main import create_app
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, ensure_topics, service_topic
from support.common import eventually
from support.gateway_assertion import AsGateway

pytestmark = pytest.mark.kafka

URL = "/api/v1/reporting/ikm/units"


@pytest.fixture
async def replicas(database_url: str, kafka_bootstrap: str) -> AsyncIterator[list[FastAPI]]:
    """Two replicas on one database: the first consumes the topics, the second only reads."""
    unique = uuid.uuid4().hex[:12]
    kafka = {"bootstrap_servers": kafka_bootstrap, "namespace": f"t{unique}.", "partitions": 3}
    consuming = ReportingSettings(
        database_url=database_url, consumer_group=f"reporting-{unique}", kafka=kafka
    )
    reading = ReportingSettings(
        database_url=database_url, run_consumers=False, run_relay=False, kafka=kafka
    )
    await ensure_topics(
        consuming.kafka, [service_topic(t, consuming.kafka) for t in (APPRAISAL, FEEDBACK)]
    )
    apps = [create_app(consuming), create_app(reading)]
    first, second = apps
    async with first.router.lifespan_context(first), second.router.lifespan_context(second):
        yield apps


async def test_a_unit_moved_on_kafka_is_in_the_other_replicas_next_report(
    replicas: list[FastAPI],
) -> None:
    reader = replicas[1]
    settings: ReportingSettings = reader.state.settings
    analyst = token(settings, "analyst")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=reader),
        base_url="http://reporting",
        auth=AsGateway("reporting"),
    ) as client:

        async def units(unit_id: str) -> list[str]:
            response = await client.get(
                f"{URL}/{unit_id}", params={"period": "2026"}, headers=analyst
            )
            return list(response.json().get("units", [])) if response.is_success else []

        await publish(reader, unit("root"), unit("a", "root"), unit("b", "root"))

        async def tree_arrived() -> bool:
            return await units("root") == ["a", "b", "root"]

        await eventually(tree_arrived, message="the units did not arrive")
        assert await units("a") == ["a"]  # the reader now holds the tree in its cache

        await publish(reader, unit("c", "a"))

        async def moved() -> bool:
            return await units("a") == ["a", "c"]

        await eventually(moved, message="the reader kept serving its cached tree")
        assert await units("root") == ["a", "b", "c", "root"]
