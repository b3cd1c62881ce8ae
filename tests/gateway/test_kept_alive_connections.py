"""A kept-alive connection the service closed under the gateway: a request that can safely be
sent again goes once more on a fresh connection, any other is not repeated, and neither is
answered 502 (the service did not break anything; the gateway reused a closing connection)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import h11
import pytest

SKP = "/api/v1/appraisal/skps/skp-1"


@dataclass(frozen=True)
class Received:
    """A request as the service read it, and whether it answered it."""

    method: str
    target: str
    body: bytes
    answered: bool


async def _next_request(
    conn: h11.Connection, reader: asyncio.StreamReader
) -> tuple[h11.Request, bytes] | None:
    request: h11.Request | None = None
    body = b""
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await reader.read(65536))
        elif isinstance(event, h11.Request):
            request = event
        elif isinstance(event, h11.Data):
            body += event.data
        elif isinstance(event, h11.EndOfMessage):
            assert request is not None
            return request, body
        else:  # the gateway closed the connection
            return None


@asynccontextmanager
async def service_closing_kept_alive_connections() -> AsyncIterator[tuple[str, list[Received]]]:
    """A real HTTP/1.1 server that answers the first request of each connection and keeps the
    connection open, then closes it without an answer when the next request arrives on it:
    what a service does whose keep-alive timeout fires as a reused connection's request comes
    in (or that closes a connection after an error)."""
    received: list[Received] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = h11.Connection(h11.SERVER)
        served = False  # this connection has answered a request (it is being kept alive)
        try:
            while (incoming := await _next_request(conn, reader)) is not None:
                request, body = incoming
                received.append(
                    Received(request.method.decode(), request.target.decode(), body, not served)
                )
                if served:
                    break  # close with no answer
                served = True
                writer.write(
                    conn.send(
                        h11.Response(
                            status_code=200,
                            headers=[("content-type", "application/json"), ("content-length", "2")],
                        )
                    )
                    + conn.send(h11.Data(data=b"{}"))
                    + conn.send(h11.EndOfMessage())
                )
                await writer.drain()
                conn.start_next_cycle()
        except (ConnectionError, h11.ProtocolError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", received


@pytest.fixture
def service() -> Callable[[], Any]:
    return service_closing_kept_alive_connections


async def test_a_put_on_a_connection_the_service_closed_goes_once_more_on_a_fresh_one(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], service: Any
) -> None:
    async with service() as (url, received), start_gateway(appraisal_url=url) as gateway:
        headers = auth("employee")
        assert (await gateway.get(SKP, headers=headers)).status_code == 200
        response = await gateway.put(SKP, json={"target": 12}, headers=headers)
    assert response.status_code == 200, response.text
    puts = [r for r in received if r.method == "PUT"]
    assert [r.answered for r in puts] == [False, True]
    assert puts[1].body == b'{"target":12}'


async def test_a_post_with_an_idempotency_key_goes_once_more_on_a_fresh_connection(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], service: Any
) -> None:
    async with service() as (url, received), start_gateway(appraisal_url=url) as gateway:
        headers = auth("employee")
        assert (await gateway.get(SKP, headers=headers)).status_code == 200
        response = await gateway.post(
            f"{SKP}/submit",
            json={"note": "siap"},
            headers={**headers, "Idempotency-Key": "6f1c1f0e-4a55-4f5e-9a77-3d1c2b3e4f50"},
        )
    assert response.status_code == 200, response.text
    posts = [r for r in received if r.method == "POST"]
    assert [r.answered for r in posts] == [False, True]
    assert posts[1].body == b'{"note":"siap"}'


async def test_a_post_without_an_idempotency_key_is_not_sent_again_and_is_no_502(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], service: Any
) -> None:
    async with service() as (url, received), start_gateway(appraisal_url=url) as gateway:
        headers = auth("employee")
        assert (await gateway.get(SKP, headers=headers)).status_code == 200
        response = await gateway.post(f"{SKP}/submit", json={"note": "siap"}, headers=headers)
        again = await gateway.get(SKP, headers=headers)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["service"] == "appraisal"
    assert "Idempotency-Key" in body["detail"]
    assert [r.answered for r in received if r.method == "POST"] == [False]
    # The service is not failing: its breaker did not count the closed connection.
    assert again.status_code == 200
