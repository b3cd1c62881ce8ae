"""The network under the upstream pool for plain-HTTP instances: asyncio's own streams.

httpcore's default backend reaches asyncio through anyio, whose cancel scopes, checkpoints
and attribute lookups on every read and write cost ~0.1 ms of CPU per proxied request
(`bench/profile_gateway.py`), about a tenth of what the gateway spends on it. This backend
does the same through `asyncio.open_connection`: the same bytes on the same kind of socket
(TCP_NODELAY), with read/write/connect failures and timeouts raised as the httpcore errors
the default backend raises, so the pool and the proxy see no difference. TLS instances keep
httpcore's default backend (`UpstreamPool`).
"""

from __future__ import annotations

import asyncio
import contextlib
import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
from httpcore import AsyncNetworkBackend, AsyncNetworkStream

#: What httpcore accepts as a socket option (as `httpcore._backends.base.SOCKET_OPTION`).
SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


def _is_readable(sock: Any) -> bool:
    """Whether a read would not block: data, or the end of the stream, is waiting (a pooled
    connection the upstream closed shows so; httpcore then drops it instead of reusing it).
    `sock` is the transport's socket (asyncio hands out a wrapper: only its descriptor is
    used, as httpcore's own check does)."""
    descriptor = -1 if sock is None else sock.fileno()
    if descriptor < 0:
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLIN)
    return bool(poller.poll(0))


class AsyncioStream(AsyncNetworkStream):
    """One TCP connection to an upstream instance."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._reader = reader
        self._writer = writer

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            async with asyncio.timeout(timeout):
                return await self._reader.read(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ReadError(str(exc)) from exc

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self._writer.write(buffer)
                await self._writer.drain()
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.WriteError(str(exc)) from exc

    async def aclose(self) -> None:
        self._writer.close()
        with contextlib.suppress(OSError):
            await self._writer.wait_closed()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> AsyncNetworkStream:
        raise httpcore.UnsupportedProtocol("TLS upstreams use httpcore's default backend")

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            return _is_readable(self._writer.get_extra_info("socket"))
        if info == "client_addr":
            return self._writer.get_extra_info("sockname")
        if info == "server_addr":
            return self._writer.get_extra_info("peername")
        if info in ("socket", "ssl_object"):
            return self._writer.get_extra_info(info)
        return None


class AsyncioBackend(AsyncNetworkBackend):
    """Opens `AsyncioStream`s (plain TCP only)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await asyncio.open_connection(
                    host, port, local_addr=(local_address, 0) if local_address else None
                )
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        sock: socket.socket = writer.get_extra_info("socket")
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for option in socket_options or ():
            sock.setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
