"""Liveness of the gateway and readiness of everything behind it (services, Kafka)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from kinerja_gateway.components import Components, UpstreamClient

router = APIRouter(tags=["health"])


async def _service_check(client: UpstreamClient, timeout: float) -> dict[str, Any]:
    try:
        response = await client.http.get("/health/ready", timeout=timeout)
    except httpx.HTTPError as exc:
        return {"status": "down", "error": f"{type(exc).__name__}: {exc}".rstrip(": ")}
    result: dict[str, Any] = {
        "status": "up" if response.status_code == 200 else "down",
        "http_status": response.status_code,
        "breaker": client.breaker.state.value,
    }
    if response.status_code != 200:
        result["error"] = response.text[:300]
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
    """200 when every service is ready and Kafka accepts connections, else 503 with details."""
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
