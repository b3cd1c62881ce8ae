"""The demo seed: a realistic Denpasar organisation, seeded once."""

from __future__ import annotations

from datetime import date

from appraisal.helpers import World
from fastapi import FastAPI
from httpx import AsyncClient

from kinerja_appraisal.seed.service import seed_demo
from kinerja_shared.runtime import ServiceRuntime


async def test_seed_demo_creates_the_organisation_once(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    runtime: ServiceRuntime = app.state.runtime
    async with runtime.sessions() as session, session.begin():
        created = await seed_demo(session, outbox=runtime.outbox, today=date(2026, 5, 2))
    assert created["employees"] >= 200
    async with runtime.sessions() as session, session.begin():
        assert await seed_demo(session, outbox=runtime.outbox, today=date(2026, 5, 2)) == {}
    kecamatan = (
        await client.get("/units", params={"kind": "kecamatan"}, headers=world.admin)
    ).json()
    assert sorted(u["name"] for u in kecamatan["items"]) == [
        "Kecamatan Denpasar Barat",
        "Kecamatan Denpasar Selatan",
        "Kecamatan Denpasar Timur",
        "Kecamatan Denpasar Utara",
    ]
    dinas = (await client.get("/units", params={"q": "pendidikan"}, headers=world.admin)).json()
    assert dinas["items"][0]["head_employee_id"] is not None
    periods = (await client.get("/periods", headers=world.admin)).json()
    assert {(p["key"], p["state"]) for p in periods["items"]} == {
        ("2026", "running"),
        ("2026-Q2", "running"),
    }
