"""The proxy's upstream pool sends what httpx's AsyncClient sent before it: the same request
line, headers (names compared case-insensitively, order kept) and body bytes on the wire."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from kinerja_gateway.upstream_http import UpstreamPool

Received = tuple[bytes, list[tuple[bytes, bytes]], bytes]


async def _read_body(reader: asyncio.StreamReader, headers: list[tuple[bytes, bytes]]) -> bytes:
    fields = {k.lower(): v for k, v in headers}
    if b"content-length" in fields:
        return await reader.readexactly(int(fields[b"content-length"]))
    if fields.get(b"transfer-encoding") == b"chunked":
        raw = b""
        while True:
            size_line = await reader.readuntil(b"\r\n")
            raw += size_line
            size = int(size_line.strip(), 16)
            raw += await reader.readexactly(size + 2)
            if size == 0:
                return raw
    return b""


@asynccontextmanager
async def recording_server() -> AsyncIterator[tuple[str, list[Received]]]:
    """A bare HTTP/1.1 server that records each request exactly as it came off the socket
    (request line, header lines in order, body bytes with any chunk framing) and answers 200."""
    received: list[Received] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *lines = head[:-4].split(b"\r\n")
                headers = [tuple(x.split(b": ", 1)) for x in lines]
                pairs = [(k, v) for k, v in headers]
                received.append((line, pairs, await _read_body(reader, pairs)))
                body = b"" if line.startswith(b"HEAD ") else b"ok"
                writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n" + body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            writer.close()  # the client went away, or the test is over

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", received


async def _chunks() -> AsyncIterator[bytes]:
    yield b'{"a": '
    yield b"1}"


def _body(kind: str) -> AsyncIterator[bytes] | None:
    return _chunks() if kind in ("chunked", "sized") else None


CASES = [
    # method, path and query as the caller sent them, caller's headers (as forwarded), body
    ("GET", b"/api/v1/appraisal/ping", [("x-request-id", "r1")], "none"),
    ("GET", b"/api/v1/reporting/a%20b?period=2026&x=%C3%A9", [("accept", "text/csv")], "none"),
    ("HEAD", b"/api/v1/appraisal/ping", [("user-agent", "mobile/1.0")], "none"),
    ("POST", b"/api/v1/feedback/feedback", [("content-type", "application/json")], "chunked"),
    ("POST", b"/api/v1/feedback/feedback", [("content-length", "8")], "sized"),
    ("POST", b"/api/v1/feedback/empty", [("accept-encoding", "identity")], "none"),
    ("DELETE", b"/api/v1/appraisal/x", [("authorization", "Bearer t")], "none"),
    ("PUT", b"/api/v1/appraisal/x", [("if-match", '"v1"'), ("x-forwarded-for", "1.2.3.4")], "none"),
]


@pytest.mark.parametrize("prefix", ["", "/behind/a/prefix"])
async def test_the_pool_sends_what_the_httpx_client_sent(prefix: str) -> None:
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=5)
    timeout = httpx.Timeout(5.0, connect=2.0)
    async with recording_server() as (url, received):
        base = url + prefix
        pool = UpstreamPool(base, limits=limits, timeout=timeout)
        async with httpx.AsyncClient(
            base_url=base, limits=limits, timeout=timeout, follow_redirects=False, trust_env=False
        ) as client:
            for method, path, headers, body in CASES:
                old = client.build_request(
                    method, httpx.URL(raw_path=path), headers=headers, content=_body(body)
                )
                response = await client.send(old, stream=True)
                await response.aread()
                await response.aclose()
                new = await pool.send(method, path, headers, _body(body))
                assert new.status == 200
                await new.aread()
                await new.aclose()
        await pool.aclose()
    assert len(received) == 2 * len(CASES)
    for (old_line, old_headers, old_body), (new_line, new_headers, new_body) in zip(
        received[::2], received[1::2], strict=True
    ):
        assert new_line == old_line
        assert new_line.split(b" ")[1].startswith(prefix.encode() + b"/api/v1/")
        assert [(k.lower(), v) for k, v in new_headers] == [(k.lower(), v) for k, v in old_headers]
        assert new_body == old_body
