"""Every service refuses a request body over its limit with a 413 problem, before the route runs
and without reading more than the limit, whether the body is declared or chunked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import pytest
from fastapi import APIRouter, Body, Request
from httpx import ASGITransport, AsyncClient, Response
from pydantic import BaseModel
from sqlalchemy import func, insert, select

from kinerja_shared.app import SessionDep, create_service_app
from support.gateway_assertion import AsGateway
from support.notes_service import make_runtime, make_settings, namespace_of, notes

LIMIT = 200
UPLOAD_LIMIT = 1000
router = APIRouter()


class NoteIn(BaseModel):
    """A note to add."""

    id: str
    text: str


@router.post("/notes", status_code=201)
async def add_note(note: Annotated[NoteIn, Body()], session: SessionDep) -> dict[str, str]:
    """Add a note (a JSON body)."""
    await session.execute(insert(notes).values(id=note.id, text=note.text[:200]))
    return {"id": note.id}


@router.post("/notes/{note_id}/touch", status_code=201)
async def touch_note(note_id: str, session: SessionDep) -> dict[str, str]:
    """Add a note without reading the body."""
    await session.execute(insert(notes).values(id=note_id, text="touched"))
    return {"id": note_id}


@router.post("/uploads")
async def upload(request: Request) -> dict[str, int]:
    """Read a raw body (a path with a limit of its own)."""
    return {"bytes": len(await request.body())}


@pytest.fixture
async def client(database_url: str, unique: str) -> AsyncIterator[AsyncClient]:
    settings = make_settings(
        database_url, "127.0.0.1:1", namespace_of(unique), max_body_bytes=LIMIT
    )
    runtime = make_runtime(settings)
    app = create_service_app(
        runtime,
        title="t",
        description="t",
        routers=[router],
        body_limits={"/uploads": UPLOAD_LIMIT},
    )
    async with AsyncClient(
        transport=ASGITransport(app, raise_app_exceptions=False),
        base_url="http://t",
        auth=AsGateway("testsvc"),
    ) as http:
        http.runtime = runtime  # type: ignore[attr-defined]
        yield http
    await runtime.engine.dispose()


async def count_notes(client: AsyncClient) -> int:
    async with client.runtime.sessions() as session:  # type: ignore[attr-defined]
        return int(await session.scalar(select(func.count()).select_from(notes)) or 0)


class Chunks:
    """A chunked request body that counts how much of it was asked for."""

    def __init__(self, chunks: int, size: int = 50) -> None:
        self.chunks, self.size, self.pulled = chunks, size, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.chunks):
            self.pulled += 1
            yield b" " * self.size


def assert_too_large(response: Response, limit: int) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/payload-too-large")
    assert problem["limit_bytes"] == limit
    assert response.headers["x-request-id"]


async def test_a_declared_body_over_the_limit_is_a_413_problem_and_changes_nothing(
    client: AsyncClient,
) -> None:
    response = await client.post("/notes", json={"id": "n1", "text": "x" * LIMIT})
    assert_too_large(response, LIMIT)
    assert await count_notes(client) == 0


async def test_a_route_that_ignores_the_body_never_runs_when_the_declared_body_is_too_large(
    client: AsyncClient,
) -> None:
    response = await client.post("/notes/n1/touch", content=b"x" * (LIMIT + 1))
    assert_too_large(response, LIMIT)
    assert await count_notes(client) == 0


async def test_a_chunked_body_over_the_limit_is_a_413_problem_and_is_not_read_to_its_end(
    client: AsyncClient,
) -> None:
    body = Chunks(100)
    response = await client.post(
        "/notes", content=body, headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_too_large(response, LIMIT)
    assert body.pulled < 10
    assert await count_notes(client) == 0


async def test_a_body_within_the_limit_is_served(client: AsyncClient) -> None:
    response = await client.post("/notes", json={"id": "n1", "text": "hello"})
    assert response.status_code == 201
    assert await count_notes(client) == 1


async def test_a_path_with_a_limit_of_its_own_takes_a_body_the_service_limit_would_refuse(
    client: AsyncClient,
) -> None:
    accepted = await client.post("/uploads", content=b"x" * (UPLOAD_LIMIT - 1))
    assert accepted.json() == {"bytes": UPLOAD_LIMIT - 1}
    assert_too_large(await client.post("/uploads", content=b"x" * (UPLOAD_LIMIT + 1)), UPLOAD_LIMIT)
    assert_too_large(await client.post("/uploads", content=Chunks(30)), UPLOAD_LIMIT)
