"""The service app factory: problem+json errors, request ids, one transaction per request."""

from __future__ import annotations

import logging
import time
from typing import Annotated

import jwt
import pytest
from fastapi import APIRouter, Body
from httpx import ASGITransport, AsyncClient
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, insert, select

from kinerja_shared.app import Runtime, SessionDep, create_service_app
from kinerja_shared.auth import CurrentIdentity, issue_token
from kinerja_shared.problems import Conflict
from support.gateway_assertion import AsGateway
from support.logs import json_log_lines
from support.notes_service import NoteAdded, make_runtime, make_settings, namespace_of, notes

router = APIRouter()
#: The HS256 key every service held before tokens were signed asymmetrically.
OLD_DEV_JWT_SECRET = "kinerja-development-signing-key-do-not-use-in-production"
TEN_YEARS = 10 * 365 * 86400


class NoteIn(BaseModel):
    """A note to add."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=20)
    text: str = Field(max_length=50)


@router.post("/notes", status_code=201)
async def add_note(
    note: Annotated[NoteIn, Body()], session: SessionDep, runtime: Runtime
) -> dict[str, str]:
    """Add a note and its event in the request's transaction."""
    if note.id == "taken":
        raise Conflict("that note exists", field="body.id")
    await session.execute(insert(notes).values(id=note.id, text=note.text))
    await runtime.outbox.add(session, NoteAdded(note_id=note.id))
    if note.text == "explode":
        raise RuntimeError("boom")
    return {"id": note.id}


@router.get("/notes/{note_id}/text")
async def note_text(note_id: str) -> dict[str, str]:
    """A route with a path parameter."""
    return {"id": note_id}


@router.get("/me")
async def me(identity: CurrentIdentity) -> dict[str, object]:
    """Who is calling."""
    return {"subject": identity.subject, "roles": sorted(identity.roles)}


@pytest.fixture
async def client(database_url: str, unique: str):
    settings = make_settings(database_url, "127.0.0.1:1", namespace_of(unique))
    runtime = make_runtime(settings)
    settings.run_relay = False
    app = create_service_app(runtime, title="t", description="t", routers=[router])
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


async def test_a_2xx_means_the_row_is_committed_before_the_response(client: AsyncClient) -> None:
    response = await client.post("/notes", json={"id": "n1", "text": "hi"})
    assert response.status_code == 201
    assert await count_notes(client) == 1


async def test_validation_errors_are_problem_json_naming_each_field(client: AsyncClient) -> None:
    response = await client.post("/notes", json={"id": "", "text": "x" * 51, "extra": 1})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert body["title"] == "Invalid request"
    assert {e["field"] for e in body["errors"]} == {"body.id", "body.text", "body.extra"}
    assert await count_notes(client) == 0


async def test_a_domain_error_is_problem_json_and_changes_nothing(client: AsyncClient) -> None:
    response = await client.post("/notes", json={"id": "taken", "text": "hi"})
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "body.id", "detail": "that note exists"}]
    assert response.json()["type"].endswith("/conflict")


async def test_an_unexpected_error_rolls_back_and_is_a_problem_not_a_traceback(
    client: AsyncClient,
) -> None:
    response = await client.post("/notes", json={"id": "n2", "text": "explode"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "boom" not in response.text
    assert await count_notes(client) == 0


async def test_every_response_carries_a_request_id_and_reuses_a_good_one(
    client: AsyncClient,
) -> None:
    fresh = await client.get("/health")
    assert len(fresh.headers["x-request-id"]) == 32
    reused = await client.get("/health", headers={"X-Request-ID": "abc-12345678"})
    assert reused.headers["x-request-id"] == "abc-12345678"
    unsafe = await client.get("/health", headers={"X-Request-ID": "bad id\nwith newline"})
    assert unsafe.headers["x-request-id"] != "bad id\nwith newline"


async def test_unknown_routes_and_methods_are_problem_json(client: AsyncClient) -> None:
    missing = await client.get("/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = await client.delete("/notes")
    assert wrong.status_code == 405


async def test_tokens_are_verified(client: AsyncClient) -> None:
    settings = client.runtime.settings.auth  # type: ignore[attr-defined]
    assert (await client.get("/me")).status_code == 401
    good = issue_token(settings, subject="u1", roles=["employee"])
    assert (await client.get("/me", headers={"Authorization": f"Bearer {good}"})).json() == {
        "subject": "u1",
        "roles": ["employee"],
    }
    expired = issue_token(settings, subject="u1", ttl_seconds=-10)
    response = await client.get("/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    assert (
        await client.get("/me", headers={"Authorization": f"Bearer {forged}"})
    ).status_code == 401


async def test_a_token_signed_with_the_old_hs256_development_secret_is_401(
    client: AsyncClient,
) -> None:
    now = int(time.time())
    claims = {"sub": "u1", "iss": "kinerja-dev", "aud": "kinerja", "iat": now, "exp": now + 300}
    forged = jwt.encode({**claims, "roles": ["bkpsdm_admin"]}, OLD_DEV_JWT_SECRET, "HS256")
    response = await client.get("/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert "HS256" in response.json()["detail"]


async def test_a_token_living_ten_years_is_401_though_well_signed(client: AsyncClient) -> None:
    settings = client.runtime.settings.auth  # type: ignore[attr-defined]
    forever = issue_token(settings, subject="u1", roles=["employee"], ttl_seconds=TEN_YEARS)
    response = await client.get("/me", headers={"Authorization": f"Bearer {forever}"})
    assert response.status_code == 401
    assert "lifetime" in response.json()["detail"]


async def test_a_write_the_database_refuses_is_a_409_problem_not_a_500(
    client: AsyncClient,
) -> None:
    assert (await client.post("/notes", json={"id": "twice", "text": "a"})).status_code == 201
    again = await client.post("/notes", json={"id": "twice", "text": "b"})
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"
    assert await count_notes(client) == 1


async def test_a_nul_character_in_the_path_or_query_is_a_422_problem(client: AsyncClient) -> None:
    response = await client.get("/me", params={"q": "a\x00b"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


class _Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_the_access_line_names_the_route_template_never_the_path(
    database_url: str, unique: str
) -> None:
    runtime = make_runtime(make_settings(database_url, "127.0.0.1:1", namespace_of(unique)))
    app = create_service_app(
        runtime, title="t", description="t", routers=[router], prefix="/api/v1/t"
    )
    collected = _Collected()
    logging.getLogger("kinerja.access").addHandler(collected)
    try:
        async with AsyncClient(
            transport=ASGITransport(app), base_url="http://t", auth=AsGateway("testsvc")
        ) as http:
            await http.get("/api/v1/t/notes/secret-code-1/text")
            await http.get("/api/v1/t/nowhere/secret-code-2")
            await http.get("/health")
    finally:
        logging.getLogger("kinerja.access").removeHandler(collected)
        await runtime.engine.dispose()
    lines = [(r.method, r.path, r.status) for r in collected.records]  # type: ignore[attr-defined]
    assert lines == [
        ("GET", "/api/v1/t/notes/{note_id}/text", 200),
        ("GET", None, 404),
        ("GET", "/health", 200),
    ]


async def test_every_log_line_of_a_request_that_fails_unexpectedly_names_its_request_id(
    client: AsyncClient,
) -> None:
    with json_log_lines() as lines:
        response = await client.post(
            "/notes",
            json={"id": "n4", "text": "explode"},
            headers={"X-Request-ID": "explode-0001"},
        )
    lines[:] = [line for line in lines if line["logger"] != "httpx"]  # the test's client
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "explode-0001"
    assert response.json()["request_id"] == "explode-0001"
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert errors, lines
    assert "RuntimeError: boom" in errors[0]["exc_info"]
    assert [line["request_id"] for line in lines] == ["explode-0001"] * len(lines)
