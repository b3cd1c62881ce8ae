"""Webhooks through the gateway on the whole system: a system registered with the scope
webhooks:manage receives the appraisal service's events, signed; without the scope, or for
another client's subscription, it is refused."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook
from webhooks.receiving import Receiver, running_receiver

from kinerja_shared.auth import issue_token
from support.common import eventually
from support.system import RunningSystem, running_system

pytestmark = pytest.mark.kafka

URL = "/api/v1/webhooks/subscriptions"


@pytest.fixture(scope="module")
async def system(
    tmp_path_factory: pytest.TempPathFactory, kafka_bootstrap: str
) -> AsyncIterator[RunningSystem]:
    """The four services and the gateway, delivering at once."""
    namespace = f"t{uuid.uuid4().hex[:12]}."
    async with running_system(
        tmp_path_factory.mktemp("webhooks-system"),
        kafka_bootstrap,
        namespace,
        webhooks={"delivery_poll_seconds": 0.05},
    ) as running:
        yield running


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with running_receiver() as state:
        yield state


def bearer(system: RunningSystem, subject: str, *roles: str, **claims: Any) -> dict[str, str]:
    token = issue_token(system.settings["gateway"].auth, subject=subject, roles=roles, **claims)
    return {"Authorization": f"Bearer {token}"}


def client_token(system: RunningSystem, client_id: str, *scopes: str) -> dict[str, str]:
    return bearer(
        system, f"client:{client_id}", "external_system", scopes=scopes, client_id=client_id
    )


async def test_a_system_registered_through_the_gateway_receives_the_appraisal_events_signed(
    system: RunningSystem, receiver: Receiver
) -> None:
    payroll = client_token(system, "payroll", "webhooks:manage")
    async with system.client() as api:
        response = await api.post(
            URL,
            json={"target_url": receiver.url, "event_types": ["appraisal.unit.*"]},
            headers=payroll,
        )
        assert response.status_code == 201, response.text
        secret = response.json()["secret"]
        unit = await api.post(
            "/api/v1/appraisal/units",
            json={"code": "KEC-DT", "name": "Kecamatan Denpasar Timur", "kind": "kecamatan"},
            headers=bearer(system, "bkpsdm", "bkpsdm_admin"),
        )
        assert unit.status_code == 201, unit.text
    await eventually(lambda: len(receiver.accepted) == 1, message="no delivery")
    got = receiver.accepted[0]
    event = Webhook(secret).verify(got.body, got.headers)
    assert event["type"] == "id.denpasar.kinerja.unit.upserted.v1"
    assert event["data"]["unit_id"] == unit.json()["id"]


async def test_the_gateway_refuses_a_client_without_the_webhooks_manage_scope(
    system: RunningSystem,
) -> None:
    reader = client_token(system, "payroll", "appraisal:read")
    async with system.client() as api:
        response = await api.get(URL, headers=reader)
    assert response.status_code == 403
    assert 'scope="webhooks:manage"' in response.headers["www-authenticate"]


async def test_through_the_gateway_another_clients_subscription_is_not_found(
    system: RunningSystem,
) -> None:
    async with system.client() as api:
        created = await api.post(
            URL,
            json={"target_url": "http://127.0.0.1:9/hooks", "event_types": ["*"]},
            headers=client_token(system, "payroll", "webhooks:manage"),
        )
        desk = client_token(system, "complaints-desk", "webhooks:manage")
        found = await api.get(f"{URL}/{created.json()['id']}", headers=desk)
        listed = await api.get(URL, headers=desk)
    assert found.status_code == 404
    assert listed.json()["total"] == 0
