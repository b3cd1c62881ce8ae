"""SKP plans over HTTP: the state machine, intervening RHK, versions after approval."""

from __future__ import annotations

from typing import Any

import pytest
from appraisal.helpers import SIMPLE_PLAN, Team, World
from httpx import AsyncClient


async def plan_in_state(
    client: AsyncClient, world: World, team: Team, state: str
) -> dict[str, Any]:
    as_a, as_h = world.as_employee(team.a), team.head(world, team.h)
    skp = (await client.post("/skps", json=SIMPLE_PLAN, headers=as_a)).json()
    steps = {
        "draft": [],
        "submitted": [("submit", as_a, None)],
        "returned": [("submit", as_a, None), ("return", as_h, {"comments": "kurang"})],
        "approved": [("submit", as_a, None), ("approve", as_h, None)],
    }[state]
    for action, who, body in steps:
        response = await client.post(f"/skps/{skp['id']}/{action}", json=body, headers=who)
        assert response.status_code == 200, response.text
    return dict(skp)


ILLEGAL = [
    ("draft", "approve"),
    ("draft", "return"),
    ("draft", "revise"),
    ("submitted", "submit"),
    ("submitted", "revise"),
    ("returned", "approve"),
    ("returned", "return"),
    ("approved", "submit"),
    ("approved", "approve"),
    ("approved", "return"),
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
async def test_every_illegal_skp_move_is_a_409(
    client: AsyncClient, world: World, state: str, action: str
) -> None:
    team = await Team.pair(world)
    skp = await plan_in_state(client, world, team, state)
    who = team.head(world, team.h) if action in ("approve", "return") else world.as_employee(team.a)
    body = {"comments": "x"} if action == "return" else None
    response = await client.post(f"/skps/{skp['id']}/{action}", json=body, headers=who)
    assert response.status_code == 409, response.text
    assert response.json()["current_state"] == state


async def test_an_approved_plan_cannot_be_edited_in_place(
    client: AsyncClient, world: World
) -> None:
    team = await Team.pair(world)
    skp = await plan_in_state(client, world, team, "approved")
    response = await client.put(
        f"/skps/{skp['id']}", json={"rhk": SIMPLE_PLAN["rhk"]}, headers=world.as_employee(team.a)
    )
    assert response.status_code == 409


async def test_returning_needs_comments(client: AsyncClient, world: World) -> None:
    team = await Team.pair(world)
    skp = await plan_in_state(client, world, team, "submitted")
    response = await client.post(
        f"/skps/{skp['id']}/return", json={"comments": "   "}, headers=team.head(world, team.h)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.comments"


async def test_revising_an_approved_plan_creates_a_new_draft_version(
    client: AsyncClient, world: World
) -> None:
    team = await Team.pair(world)
    skp = await plan_in_state(client, world, team, "approved")
    as_a = world.as_employee(team.a)
    revised = await client.post(f"/skps/{skp['id']}/revise", headers=as_a)
    assert revised.status_code == 201
    assert (revised.json()["version"], revised.json()["state"]) == (2, "draft")
    versions = (
        await client.get("/skps", params={"employee_id": team.a["id"]}, headers=as_a)
    ).json()["items"]
    assert [(v["version"], v["state"]) for v in versions] == [(2, "draft"), (1, "approved")]
    assert versions[1]["rhk"][0]["description"] == versions[0]["rhk"][0]["description"]


async def test_an_rhk_may_only_intervene_the_supervisors_plan(
    client: AsyncClient, world: World
) -> None:
    team = await Team.build(world)
    colleague_plan = (
        await client.post("/skps", json=SIMPLE_PLAN, headers=world.as_employee(team.b))
    ).json()
    body = {
        "year": 2026,
        "rhk": [{**SIMPLE_PLAN["rhk"][0], "intervened_rhk_id": colleague_plan["rhk"][0]["id"]}],
    }
    response = await client.post("/skps", json=body, headers=world.as_employee(team.a))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.rhk.0.intervened_rhk_id"


async def test_an_indicator_needs_a_target(client: AsyncClient, world: World) -> None:
    team = await Team.pair(world)
    body = {
        "year": 2026,
        "rhk": [{"description": "x", "indicators": [{"description": "y", "targets": {}}]}],
    }
    response = await client.post("/skps", json=body, headers=world.as_employee(team.a))
    assert response.status_code == 422
