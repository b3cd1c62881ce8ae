"""The upstream pool's network layer (asyncio streams for plain HTTP) fails as httpcore's
default backend does: the same httpcore errors for a refused connection and a late answer,
and a pooled connection the upstream closed while idle is dropped, not reused."""

from __future__ import annotations

import asyncio
import socket

import httpcore
import httpx
import pytest

from kinerja_gateway.upstream_http import UpstreamPool

OK = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"


def _pool(url: str, *, read: float = 5.0) -> UpstreamPool:
    return UpstreamPool(
        url,
        limits=httpx.Limits(max_connections=4, max_keepalive_connections=4),
        timeout=httpx.Timeout(5.0, read=read),
    )


async def _get(pool: UpstreamPool) -> tuple[int, bytes]:
    response = await pool.send("GET", b"/api/v1/appraisal/ping", [], None)
    try:
        body = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
    finally:
        await response.aclose()
    return response.status, body


async def test_a_refused_connection_is_a_connect_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, not listening: connections are refused
        pool = _pool(f"http://127.0.0.1:{port}")
        with pytest.raises(httpcore.ConnectError):
            await _get(pool)
        await pool.aclose()


async def test_an_answer_later_than_the_read_timeout_is_a_read_timeout() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        await asyncio.sleep(2)
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        pool = _pool(f"http://127.0.0.1:{port}", read=0.2)
        with pytest.raises(httpcore.ReadTimeout):
            await _get(pool)
        await pool.aclose()


async def test_a_connection_the_upstream_closed_while_idle_is_not_reused() -> None:
    connections = 0

    async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        await reader.readuntil(b"\r\n\r\n")
        writer.write(OK)  # keeps the connection alive as far as the client knows ...
        await writer.drain()
        writer.close()  # ... and closes it right after

    server = await asyncio.start_server(answer_once, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        pool = _pool(f"http://127.0.0.1:{port}")
        assert await _get(pool) == (200, b"ok")
        await asyncio.sleep(0.1)  # the close has arrived
        assert await _get(pool) == (200, b"ok")
        await pool.aclose()
    assert connections == 2
