"""What the database cannot hold is refused up front with a 422 naming the field (issue 14):
numbers beyond a 64-bit integer, text PostgreSQL cannot store, links that are not web
addresses; and every timestamp the service answers with carries its offset."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from appraisal.helpers import SIMPLE_PLAN, Team, World
from httpx import AsyncClient, Response

LISTS = [
    "/units",
    "/employees",
    "/periods",
    "/skps",
    "/assessments",
    "/development-plans",
    "/objections",
]


def refused(response: Response, field: str) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in response.json()["errors"]], response.text


@pytest.mark.parametrize("path", LISTS)
async def test_an_offset_beyond_a_64_bit_integer_is_a_422_naming_it(
    client: AsyncClient, world: World, path: str
) -> None:
    params = {"offset": str(2**63), "employee_id": "someone"}
    response = await client.get(path, params=params, headers=world.admin)
    refused(response, "query.offset")


async def test_a_feedback_note_list_with_a_huge_offset_is_a_422_naming_it(
    client: AsyncClient, world: World
) -> None:
    team = await Team.pair(world)
    response = await client.get(
        f"/employees/{team.a['id']}/feedback-notes",
        params={"offset": str(2**63)},
        headers=world.admin,
    )
    refused(response, "query.offset")


@pytest.mark.parametrize("path", ["/award-candidates", "/periods", "/skps"])
async def test_a_year_of_25_digits_is_a_422_naming_it(
    client: AsyncClient, world: World, path: str
) -> None:
    params = {"year": "9" * 25, "employee_id": "someone"}
    response = await client.get(path, params=params, headers=world.admin)
    refused(response, "query.year")


@pytest.mark.parametrize("text", ["Kantor\x00Camat", "Kantor \ud800 Camat"])
async def test_text_postgresql_cannot_store_is_a_422_naming_the_field_and_stores_nothing(
    client: AsyncClient, world: World, text: str
) -> None:
    # JSON can carry an unpaired surrogate as an escape ("\ud800"); UTF-8 cannot encode it.
    body = json.dumps({"code": "BAD-TEXT", "name": text, "kind": "dinas"})
    response = await client.post(
        "/units", content=body, headers={**world.admin, "Content-Type": "application/json"}
    )
    refused(response, "body.name")
    listed = await client.get("/units", params={"q": "Camat"}, headers=world.admin)
    assert listed.json()["total"] == 0


async def test_text_nested_in_a_plan_is_refused_at_its_own_field(
    client: AsyncClient, world: World
) -> None:
    team = await Team.pair(world)
    plan = {"year": 2026, "rhk": [{**SIMPLE_PLAN["rhk"][0], "description": "Lap\x00oran"}]}  # type: ignore[index]
    response = await client.post("/skps", json=plan, headers=world.as_employee(team.a))
    refused(response, "body.rhk.0.description")


@pytest.mark.parametrize(
    "link", ["javascript:alert(document.cookie)", "data:text/html,<b>x</b>", "ftp://arsip/x", "x"]
)
async def test_an_evidence_link_must_be_a_web_address(
    client: AsyncClient, world: World, link: str
) -> None:
    team = await Team.pair(world)
    period = await world.period()
    await world.advance(period, "start")
    as_a, as_h = world.as_employee(team.a), team.head(world, team.h)
    skp = (await client.post("/skps", json=SIMPLE_PLAN, headers=as_a)).json()
    for action, who in (("submit", as_a), ("approve", as_h)):
        assert (await client.post(f"/skps/{skp['id']}/{action}", headers=who)).status_code == 200
    body = {
        "indicator_id": skp["rhk"][0]["indicators"][0]["id"],
        "period_id": period["id"],
        "value": "12",
        "evidence": [{"kind": "link", "value": link}],
    }
    refused(await client.put("/realisations", json=body, headers=as_a), "body.evidence.0.value")
    body["evidence"] = [{"kind": "link", "value": "https://lapor.go.id/x"}]
    accepted = await client.put("/realisations", json=body, headers=as_a)
    assert accepted.status_code == 200, accepted.text


async def test_timestamps_carry_their_offset(client: AsyncClient, world: World) -> None:
    team = await Team.pair(world)
    unit = (await client.get(f"/units/{team.unit['id']}", headers=world.admin)).json()
    placements = (
        await client.get(f"/employees/{team.a['id']}/placements", headers=world.admin)
    ).json()
    for stamp in (unit["updated_at"], placements[0]["started_at"]):
        assert datetime.fromisoformat(stamp).utcoffset() is not None, stamp


async def test_a_result_cursor_beyond_a_postgresql_integer_is_a_422_naming_it(
    client: AsyncClient, world: World
) -> None:
    # change_seq is an INTEGER: on PostgreSQL a cursor of 2^31 could not even be compared.
    response = await client.get("/results/changes", params={"after": 2**31}, headers=world.admin)
    refused(response, "query.after")
