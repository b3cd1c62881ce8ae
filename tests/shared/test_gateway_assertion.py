"""Gateway assertions: a service answers only requests the gateway signed for exactly them."""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter
from httpx import ASGITransport, AsyncClient
from pydantic import ValidationError

from kinerja_shared.app import create_service_app
from kinerja_shared.gateway_assertion import (
    ASSERTION_HEADER,
    AssertionSigner,
    AssertionVerifier,
    ClientAddress,
)
from kinerja_shared.gateway_keys import key_id, load_public_keys, new_key_pair
from kinerja_shared.problems import NotAuthenticated
from kinerja_shared.settings import (
    DEV_GATEWAY_PRIVATE_KEY,
    DEV_GATEWAY_PUBLIC_KEY,
    GatewayAssertionSettings,
)
from support.gateway_assertion import DEV_SIGNER, AsGateway
from support.notes_service import make_runtime, make_settings, namespace_of
from support.production import own_jwks

router = APIRouter()


@router.api_route("/whoami", methods=["GET", "POST"])
async def whoami(client: ClientAddress) -> dict[str, str | None]:
    """The caller's address, as the service sees it."""
    return {"client": client}


@pytest.fixture
async def service(database_url: str, unique: str) -> AsyncIterator[AsyncClient]:
    """The test service (create_service_app), called directly: no assertion unless asked."""
    runtime = make_runtime(make_settings(database_url, "127.0.0.1:1", namespace_of(unique)))
    app = create_service_app(runtime, title="t", description="t", routers=[router])
    async with AsyncClient(transport=ASGITransport(app), base_url="http://t") as http:
        yield http
    await runtime.engine.dispose()


def signed(
    *,
    method: str = "GET",
    target: str = "/whoami",
    service: str = "testsvc",
    signer: AssertionSigner = DEV_SIGNER,
) -> dict[str, str]:
    """A header with an assertion made for `method target` at `service`."""
    token = signer.sign(
        service=service, method=method, target=target, client_address="192.0.2.1", request_id=None
    )
    return {ASSERTION_HEADER: token}


def assert_refused(response: Any, detail: str) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Gateway-Assertion"
    body = response.json()
    assert body["title"] == "Not authenticated"
    assert detail in body["detail"]
    assert body["errors"][0]["field"] == "header.X-Gateway-Assertion"


async def test_a_request_without_an_assertion_is_refused_with_a_401_problem(
    service: AsyncClient,
) -> None:
    assert_refused(await service.get("/whoami"), "only requests sent through the gateway")


async def test_the_probes_answer_without_an_assertion(service: AsyncClient) -> None:
    assert (await service.get("/health")).status_code == 200
    assert (await service.get("/health/ready")).status_code in (200, 503)


async def test_an_assertion_for_the_request_is_accepted(service: AsyncClient) -> None:
    response = await service.get("/whoami", headers=signed())
    assert response.status_code == 200
    assert response.json() == {"client": "192.0.2.1"}


async def test_an_assertion_for_another_path_query_or_method_is_refused(
    service: AsyncClient,
) -> None:
    other_path = await service.get("/whoami", headers=signed(target="/notes"))
    other_query = await service.get("/whoami?a=2", headers=signed(target="/whoami?a=1"))
    other_method = await service.post("/whoami", headers=signed(method="GET"))
    for response in (other_path, other_query, other_method):
        assert_refused(response, "the assertion is for another request")


async def test_an_assertion_for_another_service_is_refused(service: AsyncClient) -> None:
    response = await service.get("/whoami", headers=signed(service="feedback"))
    assert_refused(response, "Audience")


async def test_an_expired_assertion_is_refused_but_clock_skew_within_the_leeway_is_not(
    service: AsyncClient,
) -> None:
    def issued(seconds_ago: float) -> AssertionSigner:
        return AssertionSigner(
            DEV_GATEWAY_PRIVATE_KEY, ttl_seconds=30, clock=lambda: time.time() - seconds_ago
        )

    expired = await service.get("/whoami", headers=signed(signer=issued(60)))
    assert_refused(expired, "the assertion has expired")
    skewed = await service.get("/whoami", headers=signed(signer=issued(32)))  # leeway 5 s
    assert skewed.status_code == 200


async def test_an_assertion_signed_by_a_key_not_listed_is_refused(service: AsyncClient) -> None:
    private, _ = new_key_pair()
    stranger = AssertionSigner(private, ttl_seconds=30)
    response = await service.get("/whoami", headers=signed(signer=stranger))
    assert_refused(response, "signed by a key it does not accept")


async def test_a_tampered_or_garbled_assertion_is_refused(service: AsyncClient) -> None:
    token = signed()[ASSERTION_HEADER]
    header, claims, signature = token.split(".")
    forged_claims = base64.urlsafe_b64encode(
        base64.urlsafe_b64decode(claims + "==").replace(b"192.0.2.1", b"192.0.2.9")
    ).rstrip(b"=")
    tampered = f"{header}.{forged_claims.decode()}.{signature}"
    assert_refused(await service.get("/whoami", headers={ASSERTION_HEADER: tampered}), "invalid")
    assert_refused(await service.get("/whoami", headers={ASSERTION_HEADER: "x.y"}), "invalid")
    nested = base64.urlsafe_b64encode(b"[" * 3000).decode()
    deep = await service.get("/whoami", headers={ASSERTION_HEADER: f"{nested}.e30.c2ln"})
    assert_refused(deep, "invalid")
    not_text = base64.urlsafe_b64encode(b"\xff\xfe{").decode()
    assert_refused(
        await service.get("/whoami", headers={ASSERTION_HEADER: f"{not_text}.e30.c2ln"}), "invalid"
    )


async def test_the_service_sees_the_assertions_address_never_x_forwarded_for(
    service: AsyncClient,
) -> None:
    response = await service.get(
        "/whoami",
        headers={"X-Forwarded-For": "6.6.6.6"},
        auth=AsGateway("testsvc", client_address="198.51.100.23"),
    )
    assert response.json() == {"client": "198.51.100.23"}


async def test_every_listed_key_is_accepted_so_that_keys_can_be_rotated(
    database_url: str, unique: str
) -> None:
    private, public = new_key_pair()
    settings = make_settings(
        database_url,
        "127.0.0.1:1",
        namespace_of(unique),
        gateway_assertion=GatewayAssertionSettings(public_keys=DEV_GATEWAY_PUBLIC_KEY + public),
    )
    runtime = make_runtime(settings)
    app = create_service_app(runtime, title="t", description="t", routers=[router])
    async with AsyncClient(transport=ASGITransport(app), base_url="http://t") as http:
        old = await http.get("/whoami", headers=signed())
        new = await http.get(
            "/whoami", headers=signed(signer=AssertionSigner(private, ttl_seconds=30))
        )
    await runtime.engine.dispose()
    assert (old.status_code, new.status_code) == (200, 200)


def test_a_verifier_names_each_reason_for_a_refusal() -> None:
    verifier = AssertionVerifier(DEV_GATEWAY_PUBLIC_KEY, service="testsvc", leeway_seconds=0)
    with pytest.raises(NotAuthenticated, match="only requests sent through the gateway"):
        verifier.verify(None, method="GET", target="/x")
    token = signed(target="/x")[ASSERTION_HEADER]
    assertion = verifier.verify(token, method="get", target="/x")
    assert (assertion.service, assertion.method, assertion.client_address) == (
        "testsvc",
        "GET",
        "192.0.2.1",
    )


def test_a_key_id_is_the_rfc_7638_thumbprint() -> None:
    # RFC 8037, appendix A.2 and A.3: the example Ed25519 key and its thumbprint.
    x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    key = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(x + "="))
    assert key_id(key) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_public_keys_are_read_from_a_bundle_also_with_escaped_newlines() -> None:
    _, first = new_key_pair()
    _, second = new_key_pair()
    assert len(load_public_keys(first + "\n" + second)) == 2
    assert len(load_public_keys(first.replace("\n", "\\n"))) == 1


def test_settings_refuse_public_keys_that_are_not_ed25519_pem() -> None:
    with pytest.raises(ValidationError, match="no PEM public key"):
        GatewayAssertionSettings(public_keys="not a key")
    with pytest.raises(ValidationError, match="not a PEM public key"):
        GatewayAssertionSettings(
            public_keys="-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"
        )


def test_production_refuses_the_development_gateway_key(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    with pytest.raises(ValidationError, match="KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS"):
        make_settings(
            database_url, "127.0.0.1:1", "t.", environment="production", auth={"jwks": own_jwks()}
        )
    _, public = new_key_pair()
    own = make_settings(
        database_url,
        "127.0.0.1:1",
        "t.",
        environment="production",
        auth={"jwks": own_jwks()},
        gateway_assertion=GatewayAssertionSettings(public_keys=public),
    )
    assert own.gateway_assertion.key_ids() == set(load_public_keys(public))


@pytest.mark.parametrize("client_address", ["203.0.113.7", None])
def test_an_assertion_is_the_token_pyjwt_makes_of_its_claims(client_address: str | None) -> None:
    signer = AssertionSigner(DEV_GATEWAY_PRIVATE_KEY, ttl_seconds=30, clock=lambda: 1764700000.5)
    token = signer.sign(
        service="feedback",
        method="post",
        target="/api/v1/feedback/feedback?x=%C3%A9",
        client_address=client_address,
        request_id="r-12345678",
    )
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["iat"], claims["exp"]) == (1764700000, 1764700030)
    assert (claims["method"], claims["client"]) == ("POST", client_address)
    key = signer._key
    expected = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": key_id(key.public_key())})
    assert token == expected
