"""Fixtures of the webhooks tests: a migrated database, the app on real Kafka, a real
receiver, and the tokens of OAuth2 clients."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from webhooks.receiving import Receiver, running_receiver

from kinerja_shared.auth import issue_token
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.topics import (
    APPRAISAL,
    FEEDBACK,
    REPORTING,
    ensure_topics,
    service_topic,
)
from kinerja_shared.kafka_client import client_options
from kinerja_webhooks.main import create_app
from kinerja_webhooks.models import metadata
from kinerja_webhooks.settings import WebhooksSettings
from support.common import database_url_for
from support.database import empty_tables, migrate
from support.gateway_assertion import AsGateway

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "services" / "webhooks" / "alembic.ini"
URL = "/api/v1/webhooks"


@pytest.fixture(scope="session")
def webhooks_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The webhooks database, migrated from scratch once per session."""
    url = database_url_for("webhooks", tmp_path_factory.mktemp("webhooks"))
    migrate(ALEMBIC_INI, url)
    return url


@pytest.fixture
async def database_url(webhooks_database: str) -> str:
    """The webhooks database, emptied for this test."""
    await empty_tables(webhooks_database, metadata)
    return webhooks_database


SettingsFactory = Callable[..., WebhooksSettings]


@pytest.fixture
def make_settings(database_url: str, kafka_bootstrap: str) -> SettingsFactory:
    """Settings of this test's own topics and group, with retries in milliseconds; keyword
    arguments override fields."""
    unique = uuid.uuid4().hex[:12]

    def build(**overrides: Any) -> WebhooksSettings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "consumer_group": f"webhooks-{unique}",
            "kafka": {
                "bootstrap_servers": kafka_bootstrap,
                "namespace": f"t{unique}.",
                "partitions": 2,
            },
            "retry_first_seconds": 0.01,
            "retry_longest_seconds": 0.05,
            "delivery_poll_seconds": 0.02,
            "consumer_retry_backoff_seconds": 0.01,
        }
        values.update(overrides)
        return WebhooksSettings(**values)

    return build


@asynccontextmanager
async def started(settings: WebhooksSettings) -> AsyncIterator[FastAPI]:
    """The app with its consumer (on the settings' topics, created first) and worker."""
    if settings.run_consumers:
        await ensure_topics(
            settings.kafka,
            [service_topic(t, settings.kafka) for t in (APPRAISAL, FEEDBACK, REPORTING)],
        )
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def start() -> Callable[[WebhooksSettings], AbstractAsyncContextManager[FastAPI]]:
    """`started` as a fixture."""
    return started


@pytest.fixture
async def app(make_settings: SettingsFactory) -> AsyncIterator[FastAPI]:
    """The app on real Kafka with its delivery worker."""
    async with started(make_settings()) as application:
        yield application


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """A real receiver that accepts everything."""
    async with running_receiver() as state:
        yield state


def client_of(app: FastAPI) -> httpx.AsyncClient:
    """An HTTP client of the app, as the gateway."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://webhooks",
        auth=AsGateway("webhooks"),
    )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the app."""
    async with client_of(app) as http:
        yield http


def system_token(
    client_id: str = "payroll", scopes: str = "webhooks:manage", roles: tuple[str, ...] = ()
) -> dict[str, str]:
    """Authorization of an OAuth2 client (role external_system) with these scopes."""
    value = issue_token(
        WebhooksSettings().auth,
        subject=f"client:{client_id}",
        roles=roles or ("external_system",),
        scopes=scopes.split(),
        client_id=client_id,
    )
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def payroll() -> dict[str, str]:
    """The payroll system's headers (webhooks:manage)."""
    return system_token("payroll")


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], target_url: str, **fields: Any
) -> dict[str, Any]:
    """Create a subscription (every event unless told) and answer it, secret included."""
    body = {"target_url": target_url, "event_types": ["*"], **fields}
    response = await client.post(f"{URL}/subscriptions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def publish(settings: WebhooksSettings, *payloads: EventPayload) -> list[str]:
    """Publish as the owning services would (CloudEvents keyed by aggregate); their ids."""
    producer = AIOKafkaProducer(**client_options(settings.kafka), acks="all")
    await producer.start()
    ids = []
    try:
        for payload in payloads:
            event = payload.to_event(source="/kinerja/" + payload.topic.split(".")[1])
            ids.append(event.id)
            await producer.send_and_wait(
                settings.kafka.namespace + payload.topic,
                value=event.to_json(),
                key=payload.key().encode(),
            )
    finally:
        await producer.stop()
    return ids
