"""Liveness of the gateway and readiness of every service behind it.

Kafka is not checked here: the gateway has no Kafka client (nor credentials for one), and a
TCP connection to a broker proves nothing. Each service checks the cluster itself, with its
own principal (`kinerja_shared.kafka_health`), and is not ready while it does not answer.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kinerja_gateway.components import Components, Instance, UpstreamClient
from kinerja_shared.readiness import readiness_response, shows_details

router = APIRouter(tags=["health"])


async def _instance_check(
    instance: Instance, timeout: float, authorization: str | None
) -> dict[str, Any]:
    headers = {"Authorization": authorization} if authorization else None
    try:
        response = await instance.http.get("/health/ready", timeout=timeout, headers=headers)
    except httpx.HTTPError as exc:
        return {
            "status": "down",
            "error": f"{type(exc).__name__}: {exc}".rstrip(": "),
            "breaker": instance.breaker.state.value,
        }
    result: dict[str, Any] = {
        "status": "up" if response.status_code == 200 else "down",
        "http_status": response.status_code,
        "breaker": instance.breaker.state.value,
    }
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("checks"), dict):
        result["checks"] = body["checks"]  # the service's own, shown to the operator
    elif response.status_code != 200:
        result["error"] = response.text[:300]
    return result


async def _service_check(
    client: UpstreamClient, timeout: float, authorization: str | None
) -> dict[str, Any]:
    """A service is up while at least one of its instances is; each instance is listed.

    With a single instance its details are also at the top level (as before instances)."""
    checks = await asyncio.gather(
        *(_instance_check(i, timeout, authorization) for i in client.instances)
    )
    up = sum(c["status"] == "up" for c in checks)
    if len(checks) == 1:
        result = dict(checks[0])
    else:
        result = {"status": "up" if up else "down"}
        if up < len(checks):
            result["error"] = f"{len(checks) - up} of {len(checks)} instances down"
    result["instances_up"] = up
    result["instances"] = {i.url: c for i, c in zip(client.instances, checks, strict=True)}
    return result


@router.get("/health", summary="Liveness: the gateway process answers")
async def health() -> dict[str, str]:
    """The gateway itself is up."""
    return {"status": "up", "service": "gateway"}


@router.get("/health/ready", summary="Readiness: every service is ready")
async def ready(request: Request, components: Components) -> JSONResponse:
    """200 when at least one instance of every service is ready (each checks its database
    and Kafka), else 503; only up or down, unless the caller's bearer token has a
    health-detail role: then every service and instance with its breaker, and the services'
    own checks (the token is passed on to them)."""
    settings = components.settings
    operator = shows_details(request, components.verifier, settings.health_detail_roles)
    authorization = request.headers.get("authorization") if operator else None
    timeout = settings.readiness_timeout_seconds
    names = list(components.upstreams)
    results = await asyncio.gather(
        *(_service_check(components.upstreams[n], timeout, authorization) for n in names)
    )
    checks = dict(zip(names, results, strict=True))
    ok = all(c["status"] == "up" for c in checks.values())
    return readiness_response(ok, {"service": "gateway", "checks": checks} if operator else None)
