"""HTTP/1.1 to one upstream instance for the proxy: httpcore's connection pool, used directly.

httpx's `AsyncClient` runs on this same pool; its own layers (URL merging and parsing, header
models, cookie jar, auth and redirect hooks, response wrapping) cost ~0.7 ms of CPU per
proxied request (`bench/profile_gateway.py`), about a quarter of what the gateway spends. The
proxy forwards bytes as they are, so it needs none of them: it sends the requests httpx would
have sent (same target, the client's default headers, `Host`, body framing, timeouts) and
gets the upstream's raw status, headers and body chunks back.

Errors are httpcore's, which httpx only renames: `TRANSPORT_ERRORS` lists them all. One more
is the pool's own: `StaleConnection`, a reused keep-alive connection that the upstream had
closed as the request went out.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterable
from typing import Any

import httpcore
import httpx

from kinerja_gateway.upstream_network import AsyncioBackend

#: Every error of the transport (httpx maps exactly these to its `TransportError`s).
TRANSPORT_ERRORS = (
    httpcore.TimeoutException,
    httpcore.NetworkError,
    httpcore.ProtocolError,
    httpcore.ProxyError,
    httpcore.UnsupportedProtocol,
)
#: What `httpx.AsyncClient` sends unless the request carries its own (names are lower case).
CLIENT_DEFAULT_HEADERS: tuple[tuple[bytes, bytes], ...] = tuple(
    (name.lower(), value) for name, value in httpx.AsyncClient().headers.raw
)
_BODY_METHODS = frozenset({b"POST", b"PUT", b"PATCH"})
#: How a connection the upstream closed (or reset) before answering shows.
_CLOSED_BEFORE_ANSWER = (httpcore.RemoteProtocolError, httpcore.ReadError, httpcore.WriteError)


class StaleConnection(Exception):
    """A reused keep-alive connection ended before any of the response arrived: the upstream
    had closed it (idle timeout, restart) as the request went out. Whether the upstream read
    the request is unknown."""


class _Attempt:
    """What httpcore's `trace` extension tells of one request: whether it opened a connection
    (else it went out on a pooled one)."""

    __slots__ = ("opened",)

    def __init__(self) -> None:
        self.opened = False

    async def trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.started":
            self.opened = True


class UpstreamPool:
    """Pooled keep-alive connections to one instance (`base_url`) of an upstream service."""

    def __init__(
        self,
        base_url: str,
        *,
        limits: httpx.Limits,
        timeout: httpx.Timeout,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        url = httpx.URL(base_url)
        self.base_url = base_url
        self._scheme = url.raw_scheme
        self._host = url.raw_host
        self._port = url.port
        self._netloc = url.netloc
        # As httpx joins a base URL and a path: the base path with a trailing slash.
        self._base_path = url.raw_path if url.raw_path.endswith(b"/") else url.raw_path + b"/"
        self._timeout = timeout.as_dict()
        # Plain HTTP (every deployment's services) over asyncio's streams; TLS as httpcore does.
        network = AsyncioBackend() if self._scheme == b"http" else None
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            network_backend=network,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
        )
        # Keeps nothing alive: each request opens a connection and closes it when done.
        self._fresh_pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            network_backend=network,
            max_connections=limits.max_connections,
            max_keepalive_connections=0,
            http1=True,
            http2=False,
        )

    def target(self, raw_path: bytes) -> bytes:
        """The request target on this instance for a path (and query) as the caller sent it."""
        return self._base_path + raw_path.lstrip(b"/")

    async def send(
        self,
        method: str,
        raw_path: bytes,
        headers: list[tuple[str, str]],
        body: AsyncIterable[bytes] | None,
        *,
        fresh: bool = False,
    ) -> httpcore.Response:
        """Send a request; the response's body is still to be read (`stream`), then `aclose`.

        `headers` are the caller's as the proxy forwards them (Starlette decodes them as
        Latin-1; they are sent as the same bytes). A pooled connection is reused when one is
        idle, unless `fresh`; when a reused one turns out closed before any of the response
        arrived, `StaleConnection` is raised (the caller decides whether the request may go
        again, on a fresh connection).
        """
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        present = {k for k, _ in raw}
        framing: list[tuple[bytes, bytes]] = []
        if b"host" not in present:
            framing.append((b"host", self._netloc))
        if b"content-length" not in present and b"transfer-encoding" not in present:
            if body is not None:
                raw.append((b"transfer-encoding", b"chunked"))
            elif method.upper().encode() in _BODY_METHODS:
                framing.append((b"content-length", b"0"))
        defaults = [(k, v) for k, v in CLIENT_DEFAULT_HEADERS if k not in present]
        attempt = _Attempt()
        request = httpcore.Request(
            method.encode("ascii"),
            httpcore.URL(
                scheme=self._scheme,
                host=self._host,
                port=self._port,
                target=self.target(raw_path),
            ),
            headers=framing + defaults + raw,
            content=body,
            extensions={"timeout": self._timeout, "trace": attempt.trace},
        )
        try:
            return await (self._fresh_pool if fresh else self._pool).handle_async_request(request)
        except _CLOSED_BEFORE_ANSWER as exc:
            if attempt.opened:
                raise  # a connection of its own: the upstream broke it
            raise StaleConnection(f"a kept-alive connection was closed: {exc}") from exc

    async def aclose(self) -> None:
        """Close every pooled connection."""
        await self._pool.aclose()
        await self._fresh_pool.aclose()
