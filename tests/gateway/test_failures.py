"""Failure behaviour: a stopped service, the circuit breaker, readiness."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kinerja_gateway.main import create_app
from kinerja_gateway.settings import GatewaySettings
from support.logs import json_log_lines

FLAKY = "/api/v1/reporting/flaky"
APP_KEY = "test-app-key-0123456789"  # the one tests/gateway/conftest.py registers


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_a_stopped_service_gives_503_naming_it_while_the_others_work(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], free_url: str
) -> None:
    async with start_gateway(appraisal_url=free_url) as gateway:
        headers = auth("employee")
        body = assert_problem(await gateway.get("/api/v1/appraisal/echo/x", headers=headers), 503)
        assert body["service"] == "appraisal"
        assert "appraisal" in body["detail"]
        assert (await gateway.get("/api/v1/feedback/echo/x", headers=headers)).status_code == 200
        assert (await gateway.get("/api/v1/reporting/echo/x", headers=headers)).status_code == 200


async def test_the_breaker_opens_after_consecutive_failures_and_half_opens_after_cool_down(
    start_gateway: Callable[..., Any],
    auth: Callable[..., dict[str, str]],
    stand_ins: Any,
    clock: Any,
) -> None:
    reporting = stand_ins["reporting"]
    headers = auth("analyst")
    reporting.flaky_status = 503
    try:
        async with start_gateway(breaker_failure_threshold=3, breaker_cooldown_seconds=10) as gw:
            hits = reporting.hits
            # Failures pass through untouched until the threshold...
            for _ in range(3):
                response = await gw.get(FLAKY, headers=headers)
                assert response.status_code == 503
                assert response.json() == {"status": 503}
            assert reporting.hits == hits + 3
            # ...then the gateway stops calling the service.
            body = assert_problem(await gw.get(FLAKY, headers=headers), 503)
            assert body["service"] == "reporting"
            assert reporting.hits == hits + 3
            assert (await gw.get(FLAKY, headers=headers)).headers["retry-after"] == "10"
            # Other services are not affected.
            other = await gw.get("/api/v1/appraisal/echo/x", headers=headers)
            assert other.status_code == 200
            # After the cool-down one trial goes through; it fails, so the breaker re-opens.
            clock.advance(10)
            assert (await gw.get(FLAKY, headers=headers)).json() == {"status": 503}
            assert reporting.hits == hits + 4
            assert_problem(await gw.get(FLAKY, headers=headers), 503)
            # Next trial succeeds: the breaker closes and calls flow again.
            reporting.flaky_status = 200
            clock.advance(10)
            assert (await gw.get(FLAKY, headers=headers)).status_code == 200
            assert (await gw.get(FLAKY, headers=headers)).status_code == 200
            assert reporting.hits == hits + 6
    finally:
        reporting.flaky_status = 200


@pytest.mark.parametrize("status", [502, 504])
async def test_bad_gateway_and_gateway_timeout_answers_count_as_failures(
    start_gateway: Callable[..., Any],
    auth: Callable[..., dict[str, str]],
    stand_ins: Any,
    status: int,
) -> None:
    reporting = stand_ins["reporting"]
    reporting.flaky_status = status
    try:
        async with start_gateway(breaker_failure_threshold=2) as gw:
            answers = [(await gw.get(FLAKY, headers=auth("analyst"))).status_code for _ in range(3)]
    finally:
        reporting.flaky_status = 200
    assert answers == [status, status, 503]


async def test_a_flood_of_500_and_4xx_answers_leaves_other_citizens_served(
    start_gateway: Callable[..., Any], stand_ins: Any
) -> None:
    # An attacker with the app's public key makes the service fail its requests, one
    # handler error or refusal after another: that says nothing about the service's health.
    feedback = stand_ins["feedback"]
    citizen = {"X-App-Key": APP_KEY}
    try:
        async with start_gateway(breaker_failure_threshold=3) as gw:
            flood = []
            for status in (500, 404, 422, 429, 500):
                feedback.flaky_status = status
                for _ in range(5):
                    response = await gw.get("/api/v1/feedback/survey/flaky", headers=citizen)
                    flood.append(response.status_code)
            others = await gw.get("/api/v1/feedback/service-points", headers=citizen)
            open311 = await gw.get("/api/v1/open311/echo/services.json", headers=citizen)
    finally:
        feedback.flaky_status = 200
    assert flood == [s for s in (500, 404, 422, 429, 500) for _ in range(5)]
    assert others.status_code == 200
    assert open311.status_code == 200


async def test_dashboard_parts_answered_500_do_not_open_the_breaker(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], stand_ins: Any
) -> None:
    reporting = stand_ins["reporting"]
    reporting.flaky_status = 500
    parts = {"ikm": "reporting:/api/v1/reporting/flaky?unit={unit_id}"}
    try:
        async with start_gateway(breaker_failure_threshold=2, dashboard_unit_parts=parts) as gw:
            notes = [
                (await gw.get("/api/v1/dashboard/unit/k-1", headers=auth("unit_head"))).json()[
                    "notes"
                ]
                for _ in range(4)
            ]
            after = await gw.get("/api/v1/reporting/echo/x", headers=auth("analyst"))
    finally:
        reporting.flaky_status = 200
    assert notes == [["ikm: the reporting service answered 500"]] * 4
    assert after.status_code == 200


async def test_a_stopped_service_opens_its_breaker_too(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], free_url: str
) -> None:
    async with start_gateway(feedback_url=free_url, breaker_failure_threshold=2) as gateway:
        details = [
            assert_problem(
                await gateway.get("/api/v1/feedback/echo/x", headers=auth("employee")), 503
            )["detail"]
            for _ in range(3)
        ]
    assert details[0] == "the feedback service is unavailable"
    assert "stopped calling it" in details[2]


async def test_health_says_the_gateway_is_up(gateway: httpx.AsyncClient) -> None:
    response = await gateway.get("/health")
    assert response.json() == {"status": "up", "service": "gateway"}


async def test_readiness_is_200_when_every_service_is_ready(
    start_gateway: Callable[..., Any],
) -> None:
    async with start_gateway() as gateway:
        response = await gateway.get("/health/ready")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "up"}


async def test_the_public_readiness_says_down_naming_no_service_address_or_error(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], free_url: str
) -> None:
    async with start_gateway(appraisal_url=free_url) as gateway:
        anonymous = await gateway.get("/health/ready")
        staff = await gateway.get("/health/ready", headers=auth("bkpsdm_admin"))
    assert anonymous.status_code == staff.status_code == 503
    assert anonymous.json() == staff.json() == {"status": "down"}


async def test_an_operator_sees_the_down_service_and_the_checks_of_the_others(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], free_url: str
) -> None:
    async with start_gateway(appraisal_url=free_url) as gateway:
        response = await gateway.get("/health/ready", headers=auth("operator"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["service"] == "gateway"
    appraisal = body["checks"]["appraisal"]
    assert appraisal["status"] == "down"
    assert "ConnectError" in appraisal["error"]
    assert list(appraisal["instances"]) == [free_url]
    # The operator's token went on to the services, which showed their own checks.
    feedback = body["checks"]["feedback"]
    assert feedback["status"] == "up"
    assert feedback["checks"] == {"database": {"status": "up"}}


async def test_every_log_line_of_a_request_that_fails_unexpectedly_names_its_request_id(
    make_settings: Callable[..., GatewaySettings], clock: Any
) -> None:
    app = create_app(make_settings(), clock=clock)

    async def explode() -> None:
        raise RuntimeError("boom")

    app.add_api_route("/explode", explode)
    transport = httpx.ASGITransport(app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        with json_log_lines() as lines:
            response = await client.get("/explode", headers={"X-Request-ID": "explode-0002"})
    lines[:] = [line for line in lines if line["logger"] != "httpx"]  # the test's client
    body = assert_problem(response, 500)
    assert response.headers["x-request-id"] == "explode-0002"
    assert body["request_id"] == "explode-0002"
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert errors, lines
    assert "RuntimeError: boom" in errors[0]["exc_info"]
    assert [line["request_id"] for line in lines] == ["explode-0002"] * len(lines)
