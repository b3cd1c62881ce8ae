"""Several instances of a service behind the gateway: round-robin, fail-over, breakers, health.

A service's URL setting may list several instances, comma-separated. Each instance has its
own connection pool and circuit breaker; a request to an instance that refuses the
connection goes once to another one (nothing was sent, so nothing can be applied twice).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from kinerja_gateway.settings import GatewaySettings

ECHO = "/api/v1/feedback/echo/x"
FLAKY = "/api/v1/feedback/flaky"
APP_KEY = "test-app-key-0123456789"  # the one tests/gateway/conftest.py registers

Instances = Callable[[str, int], Any]


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def test_a_url_setting_may_list_several_instances_and_one_url_still_works() -> None:
    settings = GatewaySettings(
        feedback_url=" http://f1:8002/, http://f2:8002 ", appraisal_url="http://a:8001/"
    )
    instances = settings.upstream_instances()
    assert instances["feedback"] == ("http://f1:8002", "http://f2:8002")
    assert instances["appraisal"] == ("http://a:8001",)
    for bad in ("", " , ", "http://f1:8002,http://f1:8002", "f1:8002"):
        with pytest.raises(ValidationError):
            GatewaySettings(feedback_url=bad)


async def test_requests_take_turns_between_the_instances(
    start_gateway: Callable[..., Any],
    auth: Callable[..., dict[str, str]],
    stand_in_instances: Instances,
) -> None:
    async with stand_in_instances("feedback", 2) as (first, second):
        async with start_gateway(feedback_url=f"{first.url},{second.url}") as gateway:
            for _ in range(6):
                response = await gateway.get(ECHO, headers=auth("employee"))
                assert response.status_code == 200
        assert (first.hits, second.hits) == (3, 3)


async def test_a_stopped_instance_is_skipped_and_every_request_still_succeeds(
    start_gateway: Callable[..., Any],
    auth: Callable[..., dict[str, str]],
    stand_in_instances: Instances,
    free_url: str,
) -> None:
    async with stand_in_instances("feedback", 1) as (first,):
        async with start_gateway(
            feedback_url=f"{first.url},{free_url}", breaker_failure_threshold=2
        ) as gateway:
            for n in range(6):
                # A POST with a body too: the refused connection sent nothing, so it is retried.
                response = await gateway.post(
                    "/api/v1/feedback/feedback",
                    json={"n": n},
                    headers={"X-App-Key": APP_KEY},
                )
                assert response.status_code == 200, response.text
                assert response.json()["body_bytes"] == len(f'{{"n":{n}}}')
            ready = (await gateway.get("/health/ready", headers=auth("operator"))).json()
        assert first.hits == 6
        feedback = ready["checks"]["feedback"]
        assert feedback["status"] == "up"
        assert feedback["instances_up"] == 1
        assert feedback["instances"][first.url]["status"] == "up"
        stopped = feedback["instances"][free_url]
        assert stopped["status"] == "down"
        assert "ConnectError" in stopped["error"]
        # Two refusals opened the stopped instance's breaker; the live one stays closed.
        assert stopped["breaker"] == "open"
        assert feedback["instances"][first.url]["breaker"] == "closed"


async def test_when_every_instance_refuses_the_answer_is_a_503_naming_the_service(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], free_url: str
) -> None:
    other = closed_port_url()
    async with start_gateway(appraisal_url=f"{free_url},{other}") as gateway:
        body = assert_problem(
            await gateway.get("/api/v1/appraisal/echo/x", headers=auth("employee")), 503
        )
        ready = await gateway.get("/health/ready", headers=auth("operator"))
    assert body["service"] == "appraisal"
    assert body["detail"] == "the appraisal service is unavailable"
    checks = ready.json()["checks"]["appraisal"]
    assert checks["status"] == "down"
    assert checks["instances_up"] == 0


async def test_an_error_answer_is_not_retried_on_another_instance(
    start_gateway: Callable[..., Any],
    auth: Callable[..., dict[str, str]],
    stand_in_instances: Instances,
) -> None:
    async with stand_in_instances("feedback", 2) as (first, second):
        first.flaky_status = 500
        async with start_gateway(feedback_url=f"{first.url},{second.url}") as gateway:
            statuses = sorted(
                [(await gateway.get(FLAKY, headers=auth("employee"))).status_code for _ in "ab"]
            )
        # The instance answered: the request may have had its effect, so it is passed back.
        assert statuses == [200, 500]
        assert (first.hits, second.hits) == (1, 1)


async def test_each_instance_has_its_own_breaker(
    start_gateway: Callable[..., Any],
    auth: Callable[..., dict[str, str]],
    stand_in_instances: Instances,
    clock: Any,
) -> None:
    async with stand_in_instances("feedback", 2) as (failing, healthy):
        failing.flaky_status = 503
        async with start_gateway(
            feedback_url=f"{failing.url},{healthy.url}",
            breaker_failure_threshold=2,
            breaker_cooldown_seconds=10,
        ) as gateway:
            headers = auth("employee")
            first_four = [(await gateway.get(FLAKY, headers=headers)).status_code for _ in "abcd"]
            assert sorted(first_four) == [200, 200, 503, 503]
            # The failing instance's breaker is open: the healthy one takes every call.
            statuses = [(await gateway.get(FLAKY, headers=headers)).status_code for _ in "abcd"]
            assert statuses == [200] * 4
            assert (failing.hits, healthy.hits) == (2, 6)
            # After the cool-down the failing instance gets one trial again.
            failing.flaky_status = 200
            clock.advance(10)
            statuses = [(await gateway.get(FLAKY, headers=headers)).status_code for _ in "abcd"]
            assert statuses == [200] * 4
            assert failing.hits == 4
            assert healthy.hits == 8
