"""The annual proposal when a year holds both monthly and quarterly results (legacy data)."""

from __future__ import annotations

from datetime import date
from typing import Any

from appraisal.helpers import Team, World, ratings
from fastapi import FastAPI
from httpx import AsyncClient

from kinerja_appraisal.models import Period
from kinerja_shared.runtime import ServiceRuntime


async def finalise(world: World, team: Team, period: dict[str, Any]) -> None:
    """Run `period` for the unit (organisation Istimewa): A Sangat Baik, the others Baik."""
    client = world.client
    await world.advance(period, "start", "begin-assessment")
    response = await client.put(
        f"/periods/{period['id']}/units/{team.unit['id']}/organisation-predikat",
        json={"predikat": "istimewa"},
        headers=world.admin,
    )
    assert response.status_code == 200, response.text
    for who in ("a", "b", "c"):
        top = "di_atas" if who == "a" else "sesuai"
        body = {"employee_id": getattr(team, who)["id"], "period_id": period["id"]}
        response = await client.post(
            "/assessments", json={**body, **ratings(top, top)}, headers=team.head(world, team.h)
        )
        assert response.status_code == 201, response.text
    body = {"employee_id": team.h["id"], "period_id": period["id"], **ratings(None)}
    response = await client.post("/assessments", json=body, headers=team.head(world, team.s))
    assert response.status_code == 201, response.text
    response = await client.post(
        f"/periods/{period['id']}/units/{team.unit['id']}/finalize", headers=world.admin
    )
    assert response.status_code == 200, response.text


async def legacy_quarter(app: FastAPI) -> dict[str, Any]:
    """2026-Q1 written straight to the database, as before mixing a year's series was refused."""
    runtime: ServiceRuntime = app.state.runtime
    async with runtime.sessions() as session, session.begin():
        period = Period(
            key="2026-Q1",
            kind="quarterly",
            year=2026,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 3, 31),
            state="planning",
        )
        session.add(period)
        await session.flush()
        return {"id": period.id, "key": period.key}


async def mixed_year(app: FastAPI, world: World) -> Team:
    """A team with final results in 2026-01 (monthly) and 2026-Q1 (quarterly)."""
    team = await Team.build(world)
    await finalise(world, team, await world.period("monthly", 2026, 1))
    await finalise(world, team, await legacy_quarter(app))
    return team


async def test_the_annual_proposal_of_a_year_with_both_series_is_a_conflict_naming_them(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    # Was 500: both series were mixed and 2026-01 and 2026-Q1 share their start date.
    team = await mixed_year(app, world)
    response = await client.get(
        f"/employees/{team.a['id']}/annual-proposal",
        params={"year": 2026},
        headers=world.admin,
    )
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["errors"][0]["field"] == "query.year"
    assert problem["periods_by_kind"] == {"monthly": ["2026-01"], "quarterly": ["2026-Q1"]}


async def test_an_annual_assessment_in_a_year_with_both_series_is_a_conflict(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    # Was 500, for the same reason as the proposal it shows.
    team = await mixed_year(app, world)
    annual = await world.period("annual", 2026)
    await world.advance(annual, "start", "begin-assessment")
    body = {"employee_id": team.a["id"], "period_id": annual["id"], **ratings("di_atas", "di_atas")}
    response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["field"] == "body.period_id"
    listed = await client.get(
        "/assessments", params={"period_id": annual["id"]}, headers=world.admin
    )
    assert listed.json()["total"] == 0
