"""A citizen's tracking code is a secret: no log line of the gateway or the service carries it."""

from __future__ import annotations

import json
import random
import socket
from typing import Any

import pytest
from httpx import AsyncClient

from kinerja_feedback.domain.tracking import new_tracking_code
from kinerja_gateway.main import create_app as create_gateway
from kinerja_gateway.settings import DEV_APP_KEY, GatewaySettings
from support.servers import serve


def nowhere() -> str:
    """A URL where no service listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


def request_lines(err: str) -> list[dict[str, Any]]:
    """The access lines (one per request) among the JSON log lines written to stderr."""
    found = []
    for line in err.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("message") == "request":
                found.append(record)
    return found


async def test_a_tracking_code_in_the_path_leaves_no_trace_in_any_log_line(
    app_factory: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    code = new_tracking_code(random.Random(7))
    service = app_factory()  # both apps log to the stderr captured here
    citizen = {"X-App-Key": DEV_APP_KEY}
    calls = [
        ("POST", "/api/v1/feedback/track", {"tracking_code": code}),
        ("POST", "/api/v1/feedback/track/withdraw", {"tracking_code": code}),
        # A client of the earlier API puts the code in the path: refused, and not logged.
        ("GET", f"/api/v1/feedback/track/{code}", {}),
        ("GET", f"/api/v1/feedback/track/{code.lower()}", {}),
        ("POST", f"/api/v1/feedback/track/{code}/withdraw", {}),
        ("POST", f"/api/v1/feedback/track/{code}/reopen", {}),
        ("DELETE", f"/api/v1/feedback/track/{code}", {}),
        ("GET", f"/api/v1/open311/requests/{code}.json", {}),
    ]
    async with serve(service) as feedback_url:
        gateway = create_gateway(
            GatewaySettings(
                feedback_url=feedback_url,
                appraisal_url=nowhere(),
                reporting_url=nowhere(),
                kafka={"bootstrap_servers": "127.0.0.1:1"},
            )
        )
        async with serve(gateway) as gateway_url, AsyncClient(base_url=gateway_url) as client:
            answers = [
                (await client.request(method, path, headers=citizen, json=body)).status_code
                for method, path, body in calls
            ]
        async with AsyncClient(base_url=feedback_url) as direct:
            await direct.get(f"/api/v1/feedback/track/{code}")
    assert 404 in answers  # the calls reached the service
    err = capfd.readouterr().err
    secrets = {code, code.lower(), code.replace("-", "")}
    assert [line for line in err.splitlines() if any(s in line for s in secrets)] == []
    # One process: both apps write through the same handler, so lines are told apart by path.
    paths = [line["path"] for line in request_lines(err)]
    assert "/api/v1/open311/**" in paths  # the gateway's public-route pattern
    assert "/api/v1/open311/requests/{service_request_id}.json" in paths  # the service's route
    assert paths.count("/api/v1/feedback/track") >= 2  # gateway and service, by pattern
    assert paths.count("/api/v1/feedback/track/**") >= 5  # the gateway, for codes in paths
