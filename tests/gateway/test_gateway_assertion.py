"""The gateway signs every upstream request (and drops a caller's claim to be the gateway).

The stand-in services verify assertions as the real ones do (tests/gateway/conftest.py), so
every test of this folder fails if an upstream call goes out without a valid one; these tests
look at what the assertion says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from kinerja_gateway.cli import app as cli
from kinerja_gateway.settings import GatewaySettings
from kinerja_shared.gateway_assertion import ASSERTION_HEADER, AssertionVerifier, GatewayAssertion
from kinerja_shared.gateway_keys import load_private_key, load_public_keys, new_key_pair
from kinerja_shared.problems import NotAuthenticated
from kinerja_shared.settings import DEV_GATEWAY_PUBLIC_KEY, GatewayAssertionSettings
from support.gateway_assertion import DEV_SIGNER
from support.production import own_jwks


def assertions_seen(echo: dict[str, Any]) -> list[str]:
    return [value for name, value in echo["headers"] if name == ASSERTION_HEADER]


def verified(token: str, service: str, method: str, target: str) -> GatewayAssertion:
    verifier = AssertionVerifier(DEV_GATEWAY_PUBLIC_KEY, service=service, leeway_seconds=5)
    return verifier.verify(token, method=method, target=target)


async def test_a_proxied_request_carries_the_gateways_assertion_and_never_the_callers(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    target = "/api/v1/appraisal/echo/a%20b?x=1&y=%C3%A9"
    captured = DEV_SIGNER.sign(
        service="appraisal", method="GET", target=target, client_address="6.6.6.6", request_id=None
    )
    headers = {
        **auth("employee"),
        ASSERTION_HEADER: captured,
        "X-Forwarded-For": "198.51.100.50",
        "X-Request-ID": "req-0123456789",
    }
    async with start_gateway(trusted_proxies=["127.0.0.1"]) as gateway:
        echo = (await gateway.get(target, headers=headers)).json()
    (sent,) = assertions_seen(echo)
    assert sent != captured
    assertion = verified(sent, "appraisal", "GET", target)
    assert assertion.client_address == "198.51.100.50"  # resolved through the trusted proxy
    assert assertion.request_id == "req-0123456789"


async def test_an_assertion_is_made_for_one_service_and_method(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    async with start_gateway() as gateway:
        echo = (await gateway.post("/api/v1/feedback/echo/x", headers=auth("employee"))).json()
    (sent,) = assertions_seen(echo)
    assert verified(sent, "feedback", "POST", "/api/v1/feedback/echo/x").client_address == (
        "127.0.0.1"
    )
    for service, method in (("appraisal", "POST"), ("feedback", "GET")):
        with pytest.raises(NotAuthenticated, match=r"Audience|another request"):
            verified(sent, service, method, "/api/v1/feedback/echo/x")


async def test_a_dashboard_part_carries_an_assertion_naming_the_caller(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    parts = {"echo": "appraisal:/api/v1/appraisal/echo/{employee_id}?year={year}"}
    async with start_gateway(dashboard_employee_parts=parts) as gateway:
        response = await gateway.get(
            "/api/v1/dashboard/employee/e-5",
            params={"period": "2026"},
            headers={**auth("supervisor"), "X-Request-ID": "dash-0123456789"},
        )
    echo = response.json()["parts"]["echo"]
    (sent,) = assertions_seen(echo)
    assertion = verified(sent, "appraisal", "GET", "/api/v1/appraisal/echo/e-5?year=2026")
    assert (assertion.client_address, assertion.request_id) == ("127.0.0.1", "dash-0123456789")


def test_production_refuses_the_development_assertion_key_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Production refuses a broker without authentication first; whether an earlier test's
    # broker fixture exported one must not decide what this test sees.
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    _, public = new_key_pair()
    # Listed next to another key, the development one is refused all the same.
    with pytest.raises(ValidationError, match="GATEWAY_ASSERTION_"):
        GatewaySettings(
            environment="production",
            app_keys={},
            oauth_clients={},
            auth={"jwks": own_jwks()},
            kafka={"security_protocol": "SASL_SSL"},
            gateway_assertion=GatewayAssertionSettings(public_keys=DEV_GATEWAY_PUBLIC_KEY + public),
        )


def test_settings_refuse_a_private_key_whose_public_key_the_services_do_not_list() -> None:
    private, public = new_key_pair()
    with pytest.raises(ValidationError, match="services would refuse every request"):
        GatewaySettings(assertion_private_key=private)
    own = GatewaySettings(
        assertion_private_key=private,
        gateway_assertion=GatewayAssertionSettings(public_keys=public),
    )
    assert own.assertion_key_id() in own.gateway_assertion.key_ids()


def test_settings_refuse_a_private_key_that_is_not_ed25519_pem() -> None:
    with pytest.raises(ValidationError, match="not an unencrypted PEM private key"):
        GatewaySettings(assertion_private_key="secret")


def test_the_cli_prints_a_new_key_pair() -> None:
    result = CliRunner().invoke(cli, ["assertion-keys"])
    assert result.exit_code == 0, result.output
    private = load_private_key(result.output)
    (listed,) = load_public_keys(result.output).values()
    assert listed == private.public_key()


def test_the_cli_prints_a_pair_as_environment_lines_the_settings_accept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")  # as production's broker
    result = CliRunner().invoke(cli, ["assertion-keys", "--env"])
    assert result.exit_code == 0, result.output
    values = dict(line.split("=", 1) for line in result.output.splitlines())
    assert set(values) == {"GATEWAY_ASSERTION_PRIVATE_KEY", "KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS"}
    settings = GatewaySettings(
        environment="production",
        app_keys={},
        oauth_clients={},
        auth={"jwks": own_jwks()},
        kafka={"security_protocol": "SASL_SSL"},
        assertion_private_key=values["GATEWAY_ASSERTION_PRIVATE_KEY"],
        gateway_assertion=GatewayAssertionSettings(
            public_keys=values["KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS"]
        ),
    )
    assert settings.assertion_key_id() in settings.gateway_assertion.key_ids()
