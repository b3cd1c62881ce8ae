"""Routing by path prefix, pass-through of statuses, bodies and headers."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from support.gateway_assertion import AsGateway

LARGE = 3 * 1024 * 1024


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/api/v1/appraisal/echo/a", "appraisal"),
        ("/api/v1/feedback/echo/b", "feedback"),
        ("/api/v1/open311/echo/services.json", "feedback"),
        ("/api/v1/reporting/echo/c", "reporting"),
    ],
)
async def test_each_prefix_reaches_its_service_on_the_same_path(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]], path: str, service: str
) -> None:
    response = await gateway.get(f"{path}?q=x+y&flag&p=%2B1", headers=auth("employee"))
    assert response.status_code == 200
    body = response.json()
    assert body["service"] == service
    assert body["path"] == path
    assert body["query"] == "q=x+y&flag&p=%2B1"


async def test_an_unknown_path_under_the_api_is_a_404_problem(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = await gateway.get("/api/v1/payroll/x", headers=auth("employee"))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "/api/v1/payroll/x" in response.json()["detail"]


async def test_a_service_problem_passes_through_with_its_status_body_and_headers(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = await gateway.get("/api/v1/appraisal/problem", headers=auth("employee"))
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Conflict",
        "status": 409,
        "detail": "taken",
    }
    assert response.headers["x-custom"] == "kept"
    assert response.headers["location"] == "/api/v1/appraisal/items/1"
    # The service's hop-by-hop header stays on its side of the gateway.
    assert response.headers.get("connection") != "close"


async def test_repeated_response_headers_are_all_kept(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = await gateway.get("/api/v1/appraisal/cookies", headers=auth("employee"))
    assert response.status_code == 204
    assert len(response.headers.get_list("set-cookie")) == 2


async def test_forwarding_headers_token_and_request_id_reach_the_service(
    gateway: httpx.AsyncClient, token: Callable[..., str]
) -> None:
    jwt = token("employee")
    response = await gateway.get(
        "/api/v1/appraisal/echo/h",
        headers={
            "Authorization": f"Bearer {jwt}",
            "X-Request-ID": "req-12345678",
            "X-Forwarded-For": "203.0.113.9",
            "Keep-Alive": "timeout=5",
            "X-Other": "yes",
        },
    )
    seen = dict(response.json()["headers"])
    assert seen["authorization"] == f"Bearer {jwt}"
    assert seen["x-request-id"] == "req-12345678"
    assert seen["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"
    assert seen["x-other"] == "yes"
    assert "keep-alive" not in seen
    assert response.headers["x-request-id"] == "req-12345678"
    assert response.headers.get_list("x-request-id") == ["req-12345678"]


async def test_every_response_carries_a_request_id_and_security_headers(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    for response in (
        await gateway.get("/api/v1/appraisal/echo/x", headers=auth("employee")),
        await gateway.get("/api/v1/appraisal/echo/x"),
        await gateway.get("/health"),
    ):
        assert len(response.headers["x-request-id"]) >= 8
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert "strict-transport-security" not in response.headers


async def test_hsts_is_sent_when_the_gateway_is_behind_tls(
    start_gateway: Callable[..., object],
) -> None:
    async with start_gateway(behind_tls=True) as client:  # type: ignore[attr-defined]
        response = await client.get("/health")
    assert response.headers["strict-transport-security"] == "max-age=31536000"


async def test_a_request_body_streams_through_unchanged(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    payload = bytes(range(256)) * 2048

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(payload), 10000):
            yield payload[i : i + 10000]

    response = await gateway.post(
        "/api/v1/reporting/echo/upload", content=chunks(), headers=auth("analyst")
    )
    assert response.status_code == 200
    assert response.json()["body_bytes"] == len(payload)
    assert response.json()["body_sha256"] == hashlib.sha256(payload).hexdigest()


async def test_a_large_response_streams_through_in_chunks(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    digest = hashlib.sha256()
    chunks = 0
    received = 0
    async with gateway.stream("GET", "/api/v1/reporting/large", headers=auth("analyst")) as r:
        assert r.status_code == 200
        async for chunk in r.aiter_raw():
            chunks += 1
            received += len(chunk)
            digest.update(chunk)
    expected = hashlib.sha256(b"".join(bytes([i % 256]) * 65536 for i in range(LARGE // 65536)))
    assert received == LARGE
    assert digest.hexdigest() == expected.hexdigest()
    assert chunks > 1


async def test_a_json_body_reaches_the_service_and_its_validation_error_comes_back(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    ok = await gateway.post(
        "/api/v1/appraisal/items",
        json={"id": "1", "owner": "o", "appraisal": 2},
        headers=auth("supervisor"),
    )
    assert ok.status_code == 201
    assert ok.json() == {"id": "1", "owner": "o", "appraisal": 2}
    bad = await gateway.post(
        "/api/v1/appraisal/items", json={"id": "1"}, headers=auth("supervisor")
    )
    assert bad.status_code == 422


async def test_an_encoded_path_reaches_the_service_exactly_as_a_direct_call_would(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]], stand_ins: Any
) -> None:
    path = "/api/v1/appraisal/echo/a%3Fb%23c%20%C3%A9"
    response = await gateway.get(path, headers=auth("employee"))
    assert response.status_code == 200
    async with httpx.AsyncClient(
        base_url=stand_ins["appraisal"].url, auth=AsGateway("appraisal")
    ) as direct:
        expected = (await direct.get(path)).json()
    assert response.json()["path"] == expected["path"]
    assert response.json()["path"].startswith("/api/v1/appraisal/echo/a")
    assert response.json()["query"] == expected["query"] == ""
