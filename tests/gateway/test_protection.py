"""Protection: rate limits, body size limit, per-route timeouts, CORS."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx

from kinerja_gateway.settings import RateLimit

PRIVATE = "/api/v1/appraisal/echo/p"


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_a_client_over_its_rate_is_429_with_retry_after_and_others_are_not(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], clock: Any
) -> None:
    async with start_gateway(client_rate_limit=RateLimit(per_minute=30, burst=2)) as gateway:
        alice = auth("employee", subject="alice")
        assert (await gateway.get(PRIVATE, headers=alice)).status_code == 200
        assert (await gateway.get(PRIVATE, headers=alice)).status_code == 200
        limited = await gateway.get(PRIVATE, headers=alice)
        body = assert_problem(limited, 429)
        assert limited.headers["retry-after"] == "2"
        assert body["retry_after_seconds"] == 2
        # Another client is unaffected.
        bob = auth("employee", subject="bob")
        assert (await gateway.get(PRIVATE, headers=bob)).status_code == 200
        # The bucket refills with time.
        clock.advance(2)
        assert (await gateway.get(PRIVATE, headers=alice)).status_code == 200


async def test_one_address_over_its_rate_is_429_whoever_it_claims_to_be(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    async with start_gateway(address_rate_limit=RateLimit(per_minute=60, burst=3)) as gateway:
        statuses = [
            (await gateway.get(PRIVATE, headers=auth("employee", subject=f"u{i}"))).status_code
            for i in range(4)
        ]
        assert statuses == [200, 200, 200, 429]
        # Unauthenticated attempts count too (no free token guessing).
        limited = await gateway.get(PRIVATE)
        assert_problem(limited, 429)
        assert limited.headers["retry-after"] == "1"


async def test_a_declared_body_over_the_limit_is_413_and_never_reaches_the_service(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], stand_ins: Any
) -> None:
    async with start_gateway(max_body_bytes=1000) as gateway:
        before = stand_ins["appraisal"].hits
        response = await gateway.post(PRIVATE, content=b"x" * 1001, headers=auth("employee"))
        body = assert_problem(response, 413)
        assert body["limit_bytes"] == 1000
        assert stand_ins["appraisal"].hits == before
        ok = await gateway.post(PRIVATE, content=b"x" * 1000, headers=auth("employee"))
        assert ok.json()["body_bytes"] == 1000


async def test_a_streamed_body_over_the_limit_is_413(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"y" * 400

    async with start_gateway(max_body_bytes=1000) as gateway:
        response = await gateway.post(PRIVATE, content=chunks(), headers=auth("employee"))
        assert_problem(response, 413)


async def test_a_slow_route_times_out_with_504_naming_the_service_and_others_keep_working(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    async with start_gateway(route_timeouts={"/api/v1/appraisal/slow": 0.2}) as gateway:
        response = await gateway.get("/api/v1/appraisal/slow", headers=auth("employee"))
        body = assert_problem(response, 504)
        assert body["service"] == "appraisal"
        assert "appraisal" in body["detail"]
        assert "0.2 s" in body["detail"]
        assert (await gateway.get(PRIVATE, headers=auth("employee"))).status_code == 200


async def test_cors_allows_the_configured_app_origins_only(
    start_gateway: Callable[..., Any],
) -> None:
    async with start_gateway(cors_origins=["https://app.example"]) as gateway:
        preflight = {
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-App-Key, Content-Type",
        }
        allowed = await gateway.options(
            "/api/v1/feedback/feedback",
            headers={"Origin": "https://app.example", **preflight},
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        assert "x-app-key" in allowed.headers["access-control-allow-headers"].lower()
        refused = await gateway.options(
            "/api/v1/feedback/feedback",
            headers={"Origin": "https://evil.example", **preflight},
        )
        assert "access-control-allow-origin" not in refused.headers
        simple = await gateway.get("/health", headers={"Origin": "https://app.example"})
        assert simple.headers["access-control-allow-origin"] == "https://app.example"
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


async def test_the_body_limit_also_protects_the_gateways_own_routes(
    start_gateway: Callable[..., Any],
) -> None:
    async with start_gateway(max_body_bytes=1000) as gateway:
        response = await gateway.post(
            "/api/v1/token", data={"grant_type": "client_credentials", "scope": "x" * 2000}
        )
        body = assert_problem(response, 413)
        assert body["limit_bytes"] == 1000
        assert response.headers["x-request-id"]


async def test_guessing_a_clients_secret_is_rate_limited_per_client(
    start_gateway: Callable[..., Any],
) -> None:
    async with start_gateway(client_rate_limit=RateLimit(per_minute=6, burst=2)) as gateway:
        form = {"grant_type": "client_credentials", "client_id": "payroll", "client_secret": "x"}
        statuses = [(await gateway.post("/api/v1/token", data=form)).status_code for _ in range(3)]
        assert statuses == [401, 401, 429]
        other = {**form, "client_id": "someone-else"}
        assert (await gateway.post("/api/v1/token", data=other)).status_code == 401


async def test_a_path_with_a_limit_of_its_own_takes_bodies_up_to_it_and_no_further(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], stand_ins: Any
) -> None:
    """Imports may be larger than other bodies (the appraisal service's own limit for them is
    4 MiB); the gateway's default 1 MiB must not refuse them first."""
    imports = "/api/v1/appraisal/echo/imports"
    limits = {"/api/v1/appraisal/echo/imports": 3000}
    async with start_gateway(max_body_bytes=1000, body_limits=limits) as gateway:
        taken = await gateway.post(imports, content=b"x" * 3000, headers=auth("employee"))
        assert taken.json()["body_bytes"] == 3000
        before = stand_ins["appraisal"].hits
        declared = await gateway.post(imports, content=b"x" * 3001, headers=auth("employee"))
        assert assert_problem(declared, 413)["limit_bytes"] == 3000
        assert stand_ins["appraisal"].hits == before

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(4):
                yield b"y" * 1000

        streamed = await gateway.post(imports, content=chunks(), headers=auth("employee"))
        assert assert_problem(streamed, 413)["limit_bytes"] == 3000
        other = await gateway.post(PRIVATE, content=b"x" * 1001, headers=auth("employee"))
        assert assert_problem(other, 413)["limit_bytes"] == 1000


def test_the_default_gateway_limits_let_an_import_reach_the_appraisal_services_limit() -> None:
    from kinerja_appraisal.settings import AppraisalSettings
    from kinerja_gateway.settings import GatewaySettings

    gateway = GatewaySettings()
    imports = "/api/v1/appraisal/imports/"
    assert gateway.body_limits[imports] == AppraisalSettings().max_import_bytes
