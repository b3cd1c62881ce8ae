"""No SSRF: in production a target must be https and resolve to public addresses (or the
city's allow-list), checked when it is registered and again at every delivery."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from webhooks.receiving import Receiver

from kinerja_shared.auth import Identity, Role
from kinerja_shared.db import create_engine, session_factory
from kinerja_shared.problems import InvalidInput
from kinerja_webhooks.deliveries.network import target_refusal
from kinerja_webhooks.deliveries.sender import Sender
from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import SecretBox, new_secret
from kinerja_webhooks.subscriptions import service
from kinerja_webhooks.subscriptions.schemas import SubscriptionCreate
from support.production import clear_settings_environment, production_environment

CLIENT = Identity(
    subject="client:payroll",
    roles=frozenset({Role.EXTERNAL_SYSTEM}),
    scopes=frozenset({"webhooks:manage"}),
    client_id="payroll",
)


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch, database_url: str) -> WebhooksSettings:
    """The service's settings as production has them."""
    clear_settings_environment(monkeypatch)
    for name, value in production_environment().items():
        monkeypatch.setenv(name, value)
    return WebhooksSettings(database_url=database_url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://example.org/hooks", "https"),
        ("https://127.0.0.1/hooks", "loopback"),
        ("https://localhost/hooks", "loopback"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://10.0.0.7/hooks", "private"),
        ("https://[::1]/hooks", "loopback"),
    ],
)
async def test_production_refuses_to_register_a_target_that_is_not_public(
    production: WebhooksSettings, url: str, reason: str
) -> None:
    engine = create_engine(production.database_url)
    try:
        async with session_factory(engine)() as session:
            with pytest.raises(InvalidInput) as refused:
                await service.create(
                    session,
                    SecretBox(production),
                    production,
                    identity=CLIENT,
                    data=SubscriptionCreate(target_url=url, event_types=["*"]),
                    now=datetime.now(UTC),
                )
    finally:
        await engine.dispose()
    assert refused.value.errors is not None
    assert refused.value.errors[0].field == "body.target_url"
    assert reason in refused.value.detail


async def test_the_allow_list_admits_the_citys_own_network(production: WebhooksSettings) -> None:
    city = production.model_copy(update={"allowed_target_networks": ["10.20.0.0/16"]})
    assert (
        await target_refusal(
            "https://10.20.1.5/hooks", production=True, allowed=city.allowed_networks()
        )
        is None
    )
    assert (
        await target_refusal(
            "https://10.21.1.5/hooks", production=True, allowed=city.allowed_networks()
        )
        is not None
    )


async def test_production_refuses_at_delivery_a_target_now_resolving_to_this_machine(
    production: WebhooksSettings, receiver: Receiver
) -> None:
    # Registered when its name was public; now it resolves to loopback (DNS changed).
    sender = Sender(production)
    try:
        outcome = await sender.send(
            url=receiver.url.replace("http://", "https://"),
            secret=new_secret(),
            message_id="d1",
            body="{}",
            at=datetime.now(UTC),
        )
    finally:
        await sender.close()
    assert not outcome.delivered
    assert outcome.error is not None
    assert outcome.error.startswith("refused: 127.0.0.1: 127.0.0.1 is a loopback address")
    assert receiver.requests == []


async def test_development_delivers_to_this_machine_over_plain_http(
    receiver: Receiver,
) -> None:
    sender = Sender(WebhooksSettings())
    try:
        outcome = await sender.send(
            url=receiver.url, secret=new_secret(), message_id="d1", body="{}", at=datetime.now(UTC)
        )
    finally:
        await sender.close()
    assert outcome.delivered
    assert len(receiver.requests) == 1
