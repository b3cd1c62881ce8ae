"""The read-only session dependency: reads committed data, opens no write transaction."""

from __future__ import annotations

import pytest
from fastapi import APIRouter
from httpx import ASGITransport, AsyncClient
from sqlalchemy import func, insert, select

from kinerja_shared.app import ReadSessionDep, create_service_app
from kinerja_shared.db import is_postgres
from support.gateway_assertion import AsGateway
from support.notes_service import make_runtime, make_settings, namespace_of, notes

router = APIRouter()


@router.get("/notes")
async def list_notes(session: ReadSessionDep) -> dict[str, object]:
    """The notes, and whether the driver's connection is inside a transaction block."""
    rows = (await session.execute(select(notes.c.id).order_by(notes.c.id))).scalars().all()
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    in_transaction = raw.is_in_transaction() if hasattr(raw, "is_in_transaction") else None
    return {"ids": list(rows), "in_transaction": in_transaction}


@pytest.fixture
async def client(database_url: str, unique: str):
    settings = make_settings(database_url, "127.0.0.1:1", namespace_of(unique))
    settings.run_relay = False
    runtime = make_runtime(settings)
    app = create_service_app(runtime, title="t", description="t", routers=[router])
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://t", auth=AsGateway("testsvc")
    ) as http:
        http.runtime = runtime  # type: ignore[attr-defined]
        yield http
    await runtime.engine.dispose()


async def test_a_read_session_sees_committed_rows_and_begins_no_transaction(
    client: AsyncClient,
) -> None:
    runtime = client.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session, session.begin():
        await session.execute(insert(notes), [{"id": "b", "text": "x"}, {"id": "a", "text": "y"}])
    for _ in range(3):  # the pooled connection comes back usable every time
        response = await client.get("/notes")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["ids"] == ["a", "b"]
        # asyncpg: a SessionDep session would be inside BEGIN ... COMMIT here.
        assert body["in_transaction"] is (False if is_postgres(runtime.engine) else None)
    # A writing session on the same pool still commits as before.
    async with runtime.sessions() as session, session.begin():
        await session.execute(insert(notes).values(id="c", text="z"))
    async with runtime.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(notes)) == 3
