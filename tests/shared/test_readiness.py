"""A service's readiness: the broker must answer a metadata request in time (a frozen one does
not), and only an operator learns which check failed and why."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from kinerja_shared.app import create_service_app
from kinerja_shared.auth import issue_token
from kinerja_shared.runtime import ServiceRuntime
from support.common import LocalBroker, eventually
from support.gateway_assertion import AsGateway
from support.notes_service import make_runtime, make_settings, namespace_of


@asynccontextmanager
async def service(runtime: ServiceRuntime) -> AsyncIterator[AsyncClient]:
    """A client of the runtime's service app (its runtime started or not by the test)."""
    app = create_service_app(runtime, title="t", description="t")
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://t", auth=AsGateway("testsvc")
    ) as client:
        yield client


def bearer(runtime: ServiceRuntime, *roles: str) -> dict[str, str]:
    token = issue_token(runtime.settings.auth, subject="ops", roles=roles)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def unreachable_kafka(database_url: str, unique: str) -> AsyncIterator[AsyncClient]:
    """A service whose relay publishes to a broker nobody runs (not started: no retries)."""
    runtime = make_runtime(make_settings(database_url, "127.0.0.1:1", namespace_of(unique)))
    async with service(runtime) as client:
        client.runtime = runtime  # type: ignore[attr-defined]
        yield client
    await runtime.engine.dispose()


async def test_the_public_readiness_says_only_up_or_down(unreachable_kafka: AsyncClient) -> None:
    response = await unreachable_kafka.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "down"}


async def test_a_token_without_an_operator_role_sees_no_details(
    unreachable_kafka: AsyncClient,
) -> None:
    runtime = unreachable_kafka.runtime  # type: ignore[attr-defined]
    for headers in (bearer(runtime, "bkpsdm_admin"), {"Authorization": "Bearer forged"}):
        response = await unreachable_kafka.get("/health/ready", headers=headers)
        assert response.json() == {"status": "down"}


async def test_an_operator_sees_which_check_failed_and_why(unreachable_kafka: AsyncClient) -> None:
    runtime = unreachable_kafka.runtime  # type: ignore[attr-defined]
    response = await unreachable_kafka.get("/health/ready", headers=bearer(runtime, "operator"))
    assert response.status_code == 503
    body = response.json()
    assert body["service"] == "testsvc"
    assert body["checks"]["database"] == {"status": "up"}
    kafka = body["checks"]["kafka"]
    assert kafka["status"] == "down"
    assert kafka["bootstrap_servers"] == "127.0.0.1:1"
    assert kafka["error"]


@pytest.mark.kafka
async def test_a_frozen_broker_is_not_ready_and_a_resumed_one_is_again(
    database_url: str, kafka_bootstrap: str, tmp_path: Path, unique: str
) -> None:
    del kafka_bootstrap  # only its credentials: the test's own broker has the same principals
    broker = LocalBroker(tmp_path / "kafka")
    broker.start()
    runtime = make_runtime(make_settings(database_url, broker.bootstrap, namespace_of(unique)))
    await runtime.start()
    try:
        async with service(runtime) as client:

            async def ready() -> bool:
                return (await client.get("/health/ready")).status_code == 200

            await eventually(ready, message="the service never became ready")
            with broker.frozen():
                frozen = await client.get("/health/ready", headers=bearer(runtime, "operator"))
            assert frozen.status_code == 503
            kafka = frozen.json()["checks"]["kafka"]
            assert kafka["status"] == "down"
            assert "metadata" in kafka["error"]
            await eventually(ready, timeout=60, message="not ready after the broker resumed")
    finally:
        await runtime.stop()
        broker.stop()
