"""Every service refuses a request that did not come through the gateway; probes answer anyone."""

from __future__ import annotations

from pathlib import Path

import pytest
from httpx import ASGITransport, AsyncClient

from support.gateway_assertion import AsGateway
from support.system import SERVICES


@pytest.mark.parametrize("name", sorted(SERVICES))
async def test_a_service_called_directly_answers_only_with_a_gateway_assertion(
    name: str, tmp_path: Path
) -> None:
    settings_class, create_app = SERVICES[name]
    app = create_app(
        settings_class(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}",
            run_relay=False,
            run_consumers=False,
            kafka={"bootstrap_servers": "127.0.0.1:1"},
        )
    )
    document = f"/api/v1/{name}/openapi.json"
    async with AsyncClient(transport=ASGITransport(app), base_url=f"http://{name}") as direct:
        refused = await direct.get(document)
        liveness = await direct.get("/health")
        signed = await direct.get(document, auth=AsGateway(name))
        for_another = await direct.get(document, auth=AsGateway("gateway"))
    await app.state.runtime.engine.dispose()
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["detail"] == "this service answers only requests sent through the gateway"
    assert liveness.status_code == 200
    assert signed.status_code == 200
    assert for_another.status_code == 401
