"""Only the gateway reaches the feedback service: a request straight to its port is refused,
and the client address it counts is the one the gateway resolved, never X-Forwarded-For."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from typing import Any

import httpx
from feedback.fixtures import PREFIX, create_point, submission
from httpx import ASGITransport, AsyncClient
from sqlalchemy import func, select

from kinerja_feedback.models import Feedback
from kinerja_gateway.main import create_app as create_gateway
from kinerja_gateway.settings import DEV_APP_KEY, GatewaySettings
from support.common import ROOT, eventually
from support.servers import serve


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def nowhere() -> str:
    """A URL where no service listens."""
    return f"http://127.0.0.1:{free_port()}"


def citizen_headers(**extra: str) -> dict[str, str]:
    return {"Idempotency-Key": str(uuid.uuid4()), "X-Device-Id": "phone-1", **extra}


async def stored(app: Any) -> list[str | None]:
    """The address hashes of the stored submissions."""
    async with app.state.runtime.sessions() as session:
        return list(await session.scalars(select(Feedback.address_hash)))


async def count(app: Any) -> int:
    async with app.state.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Feedback)) or 0)


async def test_a_submission_posted_straight_to_the_service_is_refused_and_stored_nowhere(
    client: AsyncClient, app_factory: Any
) -> None:
    await create_point(client)
    app = app_factory()
    async with AsyncClient(transport=ASGITransport(app), base_url="http://feedback") as direct:
        response = await direct.post(
            f"{PREFIX}/feedback",
            json=submission(),
            headers=citizen_headers(**{"X-Forwarded-For": "198.51.100.4"}),
        )
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not authenticated"
    assert await count(app) == 0
    await app.state.runtime.engine.dispose()


async def test_on_its_own_port_the_service_refuses_direct_calls_and_counts_the_gateways_address(
    client: AsyncClient, app_factory: Any
) -> None:
    await create_point(client)
    app = app_factory()
    async with serve(app) as feedback_url:
        async with AsyncClient(base_url=feedback_url) as direct:
            refused = await direct.post(
                f"{PREFIX}/feedback", json=submission(), headers=citizen_headers()
            )
            probe = await direct.get("/health")
        settings = GatewaySettings(
            feedback_url=feedback_url,
            appraisal_url=nowhere(),
            reporting_url=nowhere(),
            kafka={"bootstrap_servers": "127.0.0.1:1"},
        )
        async with (
            serve(create_gateway(settings)) as gateway_url,
            AsyncClient(base_url=gateway_url) as gateway,
        ):
            forged = citizen_headers(**{"X-App-Key": DEV_APP_KEY, "X-Forwarded-For": "6.6.6.6"})
            accepted = await gateway.post(f"{PREFIX}/feedback", json=submission(), headers=forged)
    assert refused.status_code == 401
    assert probe.status_code == 200
    assert accepted.status_code == 201, accepted.text
    # The gateway's peer is the test client on 127.0.0.1 (no trusted proxies): that is the
    # caller, whatever X-Forwarded-For claims.
    assert await stored(app) == [app.state.secrets.hash("127.0.0.1")]
    await app.state.runtime.engine.dispose()


async def test_the_service_process_refuses_a_submission_posted_to_its_port(
    client: AsyncClient, feedback_db: str
) -> None:
    await create_point(client)
    port = free_port()
    env = {
        **os.environ,
        "FEEDBACK_DATABASE_URL": feedback_db,
        "FEEDBACK_HOST": "127.0.0.1",
        "FEEDBACK_PORT": str(port),
        "FEEDBACK_RUN_RELAY": "false",
        "FEEDBACK_RUN_CONSUMERS": "false",
        "KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1",
    }
    process = await asyncio.create_subprocess_exec(
        str(ROOT / ".venv" / "bin" / "kinerja-feedback"),
        "serve",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as direct:

            async def up() -> bool:
                assert process.returncode is None, "the feedback service exited"
                try:
                    return (await direct.get("/health")).status_code == 200
                except httpx.TransportError:
                    return False

            await eventually(up, timeout=60, message="the feedback service did not start")
            response = await direct.post(
                f"{PREFIX}/feedback",
                json=submission(),
                headers=citizen_headers(**{"X-Forwarded-For": "198.51.100.4"}),
            )
    finally:
        process.terminate()
        await process.wait()
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert await count(client.app) == 0  # type: ignore[attr-defined]
