"""Forwarding a request to its upstream: streamed both ways, errors as problem+json."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from kinerja_gateway.access import Caller, authenticate, authorise
from kinerja_gateway.components import Components, GatewayComponents, UpstreamClient
from kinerja_gateway.forwarded_headers import client_response_headers, upstream_request_headers
from kinerja_gateway.public_routes import is_public
from kinerja_gateway.routing import API_PREFIX, SCOPE_FAMILIES, route, timeout_for
from kinerja_shared.context import request_id_var
from kinerja_shared.problems import (
    DomainError,
    InvalidInput,
    ResourceNotFound,
    ServiceUnavailable,
)

log = logging.getLogger(__name__)

#: Upstream statuses that count as a failure of the service for its circuit breaker.
FAILURE_STATUSES = frozenset({500, 502, 503, 504})
#: Responses up to this size (by Content-Length) are read whole; larger ones are streamed.
BUFFER_LIMIT_BYTES = 64 * 1024
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]

router = APIRouter()


class PayloadTooLarge(DomainError):
    """The request body exceeds the gateway's limit (413)."""

    status, slug, title = 413, "payload-too-large", "Payload too large"


class BadGateway(DomainError):
    """The upstream broke the connection or answered nonsense (502)."""

    status, slug, title = 502, "bad-gateway", "Bad gateway"


class GatewayTimeout(DomainError):
    """The upstream did not answer in time (504)."""

    status, slug, title = 504, "gateway-timeout", "Gateway timeout"


class _BodyTooLarge(Exception):
    pass


async def _limited_body(request: Request, limit: int) -> AsyncIterator[bytes]:
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise _BodyTooLarge
        if chunk:
            yield chunk


def _upstream_url(request: Request) -> httpx.URL:
    """The path and query exactly as the caller sent them (still percent-encoded)."""
    raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
    query: bytes = request.scope.get("query_string", b"")
    try:
        return httpx.URL(raw_path=raw_path + (b"?" + query if query else b""))
    except httpx.InvalidURL as exc:
        raise InvalidInput(f"the request target is not a valid URL: {exc}", field="path") from exc


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length != "0") or "transfer-encoding" in request.headers


def unavailable(name: str, detail: str, *, retry_after: float | None = None) -> ServiceUnavailable:
    """A 503 problem naming the service."""
    headers = {"Retry-After": str(max(1, round(retry_after)))} if retry_after else None
    return ServiceUnavailable(detail, extra={"service": name}, headers=headers)


async def forward(
    request: Request, *, components: GatewayComponents, target: UpstreamClient, caller: Caller
) -> Response:
    """Send the request upstream and stream the answer back untouched."""
    settings = components.settings
    name = target.upstream.name
    # A declared Content-Length over the limit never gets here (DeclaredBodyLimitMiddleware).
    headers = upstream_request_headers(
        request.headers,
        client_address=request.client.host if request.client else None,
        request_id=request_id_var.get(),
        token=caller.token,
        scheme=request.url.scheme,
    )
    upstream_request = target.http.build_request(
        request.method,
        _upstream_url(request),
        headers=headers,
        content=_limited_body(request, settings.max_body_bytes) if _has_body(request) else None,
    )
    timeout = timeout_for(settings, request.url.path)
    # Asked last, so that nothing between this and `send` can strand a half-open trial.
    if not target.breaker.allow():
        raise unavailable(
            name,
            f"the {name} service is failing; the gateway stopped calling it for a while",
            retry_after=target.breaker.retry_after(),
        )
    try:
        async with asyncio.timeout(timeout):
            upstream_response = await target.http.send(upstream_request, stream=True)
    except _BodyTooLarge as exc:
        target.breaker.release()
        raise PayloadTooLarge(
            f"the request body exceeds the limit of {settings.max_body_bytes} bytes",
            extra={"limit_bytes": settings.max_body_bytes},
        ) from exc
    except (TimeoutError, httpx.ReadTimeout, httpx.WriteTimeout) as exc:
        target.breaker.record_failure()
        raise GatewayTimeout(
            f"the {name} service did not answer within {timeout:g} s", extra={"service": name}
        ) from exc
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
        target.breaker.record_failure()
        raise unavailable(name, f"the {name} service is unavailable") from exc
    except httpx.TransportError as exc:
        target.breaker.record_failure()
        raise BadGateway(
            f"the {name} service broke the connection", extra={"service": name}
        ) from exc
    except BaseException:
        target.breaker.release()
        raise
    if upstream_response.status_code in FAILURE_STATUSES:
        target.breaker.record_failure()
    else:
        target.breaker.record_success()
    response_headers = client_response_headers(upstream_response.headers.multi_items())
    declared = upstream_response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) <= BUFFER_LIMIT_BYTES:
        # Small bodies (most JSON) are cheaper to pass whole than as a stream.
        try:
            body = b"".join([chunk async for chunk in upstream_response.aiter_raw()])
        except httpx.TransportError as exc:
            raise BadGateway(
                f"the {name} service broke the connection", extra={"service": name}
            ) from exc
        finally:
            await upstream_response.aclose()
        small = Response(content=body, status_code=upstream_response.status_code)
        small.raw_headers = response_headers
        return small
    response = StreamingResponse(
        _relay(upstream_response, name),
        status_code=upstream_response.status_code,
        background=BackgroundTask(upstream_response.aclose),
    )
    response.raw_headers = response_headers
    return response


async def _relay(upstream_response: httpx.Response, name: str) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream_response.aiter_raw():
            yield chunk
    except httpx.TransportError:
        # Headers are already sent: all we can do is cut the response short and say why.
        log.warning("upstream response broken off", extra={"service": name})
    finally:
        await upstream_response.aclose()


@router.api_route(f"{API_PREFIX}/{{path:path}}", methods=METHODS, include_in_schema=False)
async def proxy(request: Request, components: Components) -> Response:
    """Route a request under /api/v1 to the service that owns its path."""
    components.limit_address(request)
    path = request.url.path
    if any(segment in (".", "..") for segment in path.split("/")):
        # The upstream client would resolve them, reaching a path other than the one checked.
        raise InvalidInput("the path must not contain '.' or '..' segments", field="path")
    upstream = route({n: c.upstream for n, c in components.upstreams.items()}, path)
    if upstream is None:
        raise ResourceNotFound(f"no service serves {path}")
    public = is_public(request.method, path)
    caller = await authenticate(
        request,
        verifier=components.verifier,
        app_keys=components.settings.app_keys,
        public=public,
    )
    components.limit_client(caller)
    authorise(
        caller, scope_family=SCOPE_FAMILIES[upstream.name], method=request.method, public=public
    )
    return await forward(
        request, components=components, target=components.upstreams[upstream.name], caller=caller
    )
