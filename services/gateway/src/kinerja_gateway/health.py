"""Liveness of the gateway and readiness of everything behind it (services, Kafka)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kinerja_gateway.components import Components, Instance, UpstreamClient

router = APIRouter(tags=["health"])


async def _instance_check(instance: Instance, timeout: float) -> dict[str, Any]:
    try:
        response = await instance.http.get("/health/ready", timeout=timeout)
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
    if response.status_code != 200:
        result["error"] = response.text[:300]
    return result


async def _service_check(client: UpstreamClient, timeout: float) -> dict[str, Any]:
    """A service is up while at least one of its instances is; each instance is listed.

    With a single instance its details are also at the top level (as before instances)."""
    checks = await asyncio.gather(*(_instance_check(i, timeout) for i in client.instances))
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


async def _kafka_check(bootstrap_servers: str, timeout: float) -> dict[str, Any]:
    errors: list[str] = []
    for server in (s.strip() for s in bootstrap_servers.split(",") if s.strip()):
        host, _, port = server.rpartition(":")
        try:
            async with asyncio.timeout(timeout):
                _, writer = await asyncio.open_connection(host or server, int(port or 9092))
            writer.close()
            await writer.wait_closed()
            return {"status": "up", "bootstrap": server}
        except (OSError, TimeoutError, ValueError) as exc:
            errors.append(f"{server}: {type(exc).__name__} {exc}".strip())
    return {"status": "down", "error": "; ".join(errors) or "no bootstrap servers configured"}


@router.get("/health", summary="Liveness: the gateway process answers")
async def health() -> dict[str, str]:
    """The gateway itself is up."""
    return {"status": "up", "service": "gateway"}


@router.get("/health/ready", summary="Readiness: every service and Kafka are reachable")
async def ready(components: Components) -> JSONResponse:
    """200 when every service (at least one instance of each) is ready and Kafka accepts
    connections, else 503 with details; every instance is reported with its breaker."""
    timeout = components.settings.readiness_timeout_seconds
    names = list(components.upstreams)
    results = await asyncio.gather(
        *(_service_check(components.upstreams[n], timeout) for n in names),
        _kafka_check(components.settings.kafka.bootstrap_servers, timeout),
    )
    checks = dict(zip([*names, "kafka"], results, strict=True))
    ok = all(c["status"] == "up" for c in checks.values())
    return JSONResponse(
        {"status": "up" if ok else "down", "service": "gateway", "checks": checks},
        status_code=200 if ok else 503,
    )
