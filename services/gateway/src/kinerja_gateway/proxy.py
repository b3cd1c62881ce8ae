"""Forwarding a request to its upstream: streamed both ways, errors as problem+json."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncGenerator, AsyncIterable, AsyncIterator

import httpcore
import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask

from kinerja_gateway.access import Caller, authenticate, authorise
from kinerja_gateway.client_address import forwarded_chain
from kinerja_gateway.components import GatewayComponents, Instance, UpstreamClient
from kinerja_gateway.forwarded_headers import client_response_headers, upstream_request_headers
from kinerja_gateway.public_routes import is_open, is_public, public_pattern
from kinerja_gateway.routing import API_PREFIX, SCOPE_FAMILIES, route, timeout_for
from kinerja_gateway.upstream_http import TRANSPORT_ERRORS, StaleConnection
from kinerja_shared.body_limit import limit_for
from kinerja_shared.context import request_id_var
from kinerja_shared.gateway_assertion import ASSERTION_HEADER
from kinerja_shared.middleware import LOGGED_PATH
from kinerja_shared.problems import (
    DomainError,
    InvalidInput,
    ResourceNotFound,
    ServiceUnavailable,
)

log = logging.getLogger(__name__)

#: Upstream statuses that count as a failure of the service for its circuit breaker: the
#: service (or a proxy in front of it) says it cannot serve. A 500 is one handler's error and a
#: 4xx the caller's; anyone can provoke those at will, so they never open the breaker.
FAILURE_STATUSES = frozenset({502, 503, 504})
#: Responses up to this size (by Content-Length) are read whole; larger ones are streamed.
BUFFER_LIMIT_BYTES = 64 * 1024
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
#: Methods whose request may be sent twice with the effect of once (RFC 9110, 9.2.2).
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"})

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


class _Body:
    """The request body as a stream that says whether anything of it was read yet; a
    `replayable` one keeps what it passed on, so that it can be sent again."""

    def __init__(self, request: Request, limit: int, *, replayable: bool) -> None:
        self._source = request.stream()
        self.limit = limit
        self.received = 0
        self.started = False
        self._kept: list[bytes] | None = [] if replayable else None

    async def chunks(self) -> AsyncGenerator[bytes]:
        """The body from its start: what an earlier attempt passed on, then the rest."""
        self.started = True
        for chunk in tuple(self._kept or ()):
            yield chunk
        async for chunk in self._source:
            self.received += len(chunk)
            if self.received > self.limit:
                raise _BodyTooLarge
            if chunk:
                if self._kept is not None:
                    self._kept.append(chunk)
                yield chunk


def may_send_again(request: Request) -> bool:
    """Whether sending the request twice has the effect of sending it once: an idempotent
    method, or a POST with an Idempotency-Key (the service answers a repeat as the first)."""
    method = request.method
    return method in IDEMPOTENT_METHODS or (
        method == "POST" and "idempotency-key" in request.headers
    )


def _upstream_target(request: Request) -> bytes:
    """The path and query exactly as the caller sent them (still percent-encoded)."""
    raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
    query: bytes = request.scope.get("query_string", b"")
    target = raw_path + (b"?" + query if query else b"")
    try:
        if len(target) <= _REMEMBERED_TARGET_BYTES:
            return _checked_target(target)
        return _check_target(target)
    except httpx.InvalidURL as exc:
        raise InvalidInput(f"the request target is not a valid URL: {exc}", field="path") from exc


def _check_target(target: bytes) -> bytes:
    """The target as httpx reads it: the same bytes, characters a URL cannot hold quoted;
    httpx.InvalidURL when it is no URL at all."""
    return httpx.URL(raw_path=target).raw_path


#: Most requests go to a few targets (every submission to the same one): their check is
#: remembered, for targets up to this size, so that the cache stays small.
_REMEMBERED_TARGET_BYTES = 256
_checked_target = functools.lru_cache(maxsize=1024)(_check_target)


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length != "0") or "transfer-encoding" in request.headers


def unavailable(name: str, detail: str, *, retry_after: float | None = None) -> ServiceUnavailable:
    """A 503 problem naming the service."""
    headers = {"Retry-After": str(max(1, round(retry_after)))} if retry_after else None
    return ServiceUnavailable(detail, extra={"service": name}, headers=headers)


async def forward(
    request: Request,
    *,
    components: GatewayComponents,
    target: UpstreamClient,
    caller: Caller,
    address: str,
) -> Response:
    """Send the request to an instance of the upstream and stream the answer back untouched,
    with a gateway assertion naming the caller's `address`.

    Instances take turns (round-robin), skipping those whose breaker is open. When an instance
    refuses the connection before anything of the request was sent, the request goes once to
    another instance: nothing reached the first one, so nothing can be applied twice.

    When a kept-alive connection turns out closed before any of the answer arrived (the
    service closed it as the request went out), a request that may be sent again goes once
    more to the same instance on a fresh connection; any other is answered 503 without being
    repeated (it may have been applied). Neither is a failure of the service for its breaker.
    """
    settings = components.settings
    name = target.upstream.name
    # A declared Content-Length over the limit never gets here (BodyLimitMiddleware).
    headers = upstream_request_headers(
        request.headers,
        forwarded_for=forwarded_chain(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
            components.trusted_proxies,
            caller=address,
        ),
        request_id=request_id_var.get(),
        token=caller.token,
        scheme=request.url.scheme,
    )
    path_and_query = _upstream_target(request)
    again = may_send_again(request)
    body_limit = limit_for(request.url.path, settings.max_body_bytes, settings.body_limits)
    request_body = _Body(request, body_limit, replayable=again) if _has_body(request) else None
    timeout = timeout_for(settings, request.url.path)
    rotation = target.rotation()
    tried: Instance | None = None
    fresh = False  # the attempt goes out on a new connection to the same instance
    while True:
        if not fresh:
            # Asked just before sending, so nothing in between can strand a half-open trial.
            chosen = target.choose(rotation, tried)
            if chosen is None:
                if tried is not None:
                    raise unavailable(name, f"the {name} service is unavailable")
                raise unavailable(
                    name,
                    f"the {name} service is failing; the gateway stopped calling it for a while",
                    retry_after=target.retry_after(),
                )
            instance = chosen
        assertion = components.signer.sign(
            service=name,
            method=request.method,
            target=instance.pool.target(path_and_query).decode("latin-1"),
            client_address=address,
            request_id=request_id_var.get(),
        )
        body_stream = request_body.chunks() if request_body is not None else None
        try:
            async with asyncio.timeout(timeout):
                upstream_response = await instance.pool.send(
                    request.method,
                    path_and_query,
                    [*headers, (ASSERTION_HEADER, assertion)],
                    body_stream,
                    fresh=fresh,
                )
        except _BodyTooLarge as exc:
            instance.breaker.release()
            raise PayloadTooLarge(
                f"the request body exceeds the limit of {body_limit} bytes",
                extra={"limit_bytes": body_limit},
            ) from exc
        except StaleConnection as exc:
            if body_stream is not None:
                await body_stream.aclose()
            if not again:
                instance.breaker.release()
                raise unavailable(
                    name,
                    f"the {name} service closed the connection before answering; the request "
                    "was not sent again, as it may have been applied (send a POST with an "
                    "Idempotency-Key to let the gateway repeat it)",
                ) from exc
            log.info(
                "kept-alive upstream connection was closed; sending once more on a new one",
                extra={"service": name, "instance": instance.url},
            )
            fresh = True
            continue
        except (TimeoutError, httpcore.ReadTimeout, httpcore.WriteTimeout) as exc:
            instance.breaker.record_failure()
            raise GatewayTimeout(
                f"the {name} service did not answer within {timeout:g} s", extra={"service": name}
            ) from exc
        except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
            instance.breaker.record_failure()
            if tried is None and not (request_body is not None and request_body.started):
                # Refused before anything was sent: safe to try another instance, once.
                log.warning(
                    "upstream instance refused the connection; trying another",
                    extra={"service": name, "instance": instance.url},
                )
                tried = instance
                rotation = [i for i in rotation if i is not instance]
                fresh = False
                continue
            raise unavailable(name, f"the {name} service is unavailable") from exc
        except httpcore.PoolTimeout as exc:
            instance.breaker.record_failure()
            raise unavailable(name, f"the {name} service is unavailable") from exc
        except TRANSPORT_ERRORS as exc:
            instance.breaker.record_failure()
            raise BadGateway(
                f"the {name} service broke the connection", extra={"service": name}
            ) from exc
        except BaseException:
            instance.breaker.release()
            raise
        break
    status = upstream_response.status
    if status in FAILURE_STATUSES:
        instance.breaker.record_failure()
    else:
        instance.breaker.record_success()
    response_headers = client_response_headers(upstream_response.headers)
    declared = next(
        (v for k, v in upstream_response.headers if k.lower() == b"content-length"), b""
    )
    if declared.isdigit() and int(declared) <= BUFFER_LIMIT_BYTES:
        # Small bodies (most JSON) are cheaper to pass whole than as a stream.
        try:
            body = b"".join([chunk async for chunk in _chunks(upstream_response)])
        except TRANSPORT_ERRORS as exc:
            raise BadGateway(
                f"the {name} service broke the connection", extra={"service": name}
            ) from exc
        finally:
            await upstream_response.aclose()
        small = Response(content=body, status_code=status)
        small.raw_headers = response_headers
        return small
    response = StreamingResponse(
        _relay(upstream_response, name),
        status_code=status,
        background=BackgroundTask(upstream_response.aclose),
    )
    response.raw_headers = response_headers
    return response


def _chunks(upstream_response: httpcore.Response) -> AsyncIterable[bytes]:
    """The response body as it arrives (still encoded as the upstream sent it)."""
    stream = upstream_response.stream
    assert isinstance(stream, AsyncIterable)  # an async pool's responses stream asynchronously
    return stream


async def _relay(upstream_response: httpcore.Response, name: str) -> AsyncIterator[bytes]:
    try:
        async for chunk in _chunks(upstream_response):
            yield chunk
    except TRANSPORT_ERRORS:
        # Headers are already sent: all we can do is cut the response short and say why.
        log.warning("upstream response broken off", extra={"service": name})
    finally:
        await upstream_response.aclose()


async def proxy(request: Request) -> Response:
    """Route a request under /api/v1 to the service that owns its path."""
    components: GatewayComponents = request.app.state.components
    path = request.url.path
    # Logged in place of the path, which may carry a citizen's tracking code (staff routes
    # carry ids, not secrets: their path is logged as it is).
    request.scope[LOGGED_PATH] = public_pattern(path) or path
    address = components.client_address(request)
    components.limit_address(address)
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
        open_route=public and is_open(request.method, path),
    )
    components.limit_client(caller, address)
    authorise(
        caller, scope_family=SCOPE_FAMILIES[upstream.name], method=request.method, public=public
    )
    return await forward(
        request,
        components=components,
        target=components.upstreams[upstream.name],
        caller=caller,
        address=address,
    )


# A plain Starlette route: the proxy needs no parameter parsing or dependency injection, and
# FastAPI's would cost ~0.1 ms per request.
router.add_route(f"{API_PREFIX}/{{path:path}}", proxy, methods=METHODS, include_in_schema=False)
