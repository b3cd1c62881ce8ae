"""Units and employees through HTTP."""

from __future__ import annotations

from appraisal.helpers import World, headers, nip
from httpx import AsyncClient


async def test_bkpsdm_creates_a_unit_tree_and_lists_children(
    client: AsyncClient, world: World
) -> None:
    root = await world.unit(code="DISDIK", name="Dinas Pendidikan", kind="dinas")
    await world.unit(code="SDN1", name="SD Negeri 1", kind="school", parent_id=root["id"])
    response = await client.get("/units", params={"parent_id": root["id"]}, headers=world.admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["items"][0]["code"] == "SDN1"


async def test_a_unit_cannot_be_placed_under_its_own_child(
    client: AsyncClient, world: World
) -> None:
    root = await world.unit()
    child = await world.unit(parent_id=root["id"])
    response = await client.patch(
        f"/units/{root['id']}", json={"parent_id": child["id"]}, headers=world.admin
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.parent_id"


async def test_an_employee_gets_a_public_staff_code(client: AsyncClient, world: World) -> None:
    unit = await world.unit()
    employee = await world.employee(unit)
    assert employee["staff_code"].startswith("DPS-")
    assert len(employee["staff_code"]) == 10


async def test_a_bad_nip_is_refused_naming_the_part(client: AsyncClient, world: World) -> None:
    unit = await world.unit()
    body = {
        "nip": "198613262015051001",
        "name": "X",
        "kind": "pns",
        "position": "Analis",
        "unit_id": unit["id"],
    }
    response = await client.post("/employees", json=body, headers=world.admin)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["field"] == "body.nip"
    assert "birth_date" in problem["detail"]
    listing = await client.get("/employees", headers=world.admin)
    assert listing.json()["total"] == 0


async def test_a_pppk_number_is_accepted_without_parsing(client: AsyncClient, world: World) -> None:
    unit = await world.unit()
    employee = await world.employee(unit, kind="pppk", nip="202112345678901234")
    assert employee["kind"] == "pppk"


async def test_a_duplicate_nip_is_a_conflict(client: AsyncClient, world: World) -> None:
    unit = await world.unit()
    number = nip()
    await world.employee(unit, nip=number)
    body = {"nip": number, "name": "Y", "kind": "pns", "position": "A", "unit_id": unit["id"]}
    response = await client.post("/employees", json=body, headers=world.admin)
    assert response.status_code == 409


async def test_moving_an_employee_keeps_the_previous_placement(
    client: AsyncClient, world: World
) -> None:
    first, second = await world.unit(), await world.unit()
    employee = await world.employee(first)
    response = await client.patch(
        f"/employees/{employee['id']}",
        json={"unit_id": second["id"], "position": "Kepala Seksi"},
        headers=world.admin,
    )
    assert response.status_code == 200
    history = await client.get(f"/employees/{employee['id']}/placements", headers=world.admin)
    rows = history.json()
    assert [r["unit_id"] for r in rows] == [first["id"], second["id"]]
    assert rows[0]["ended_at"] is not None
    assert rows[1]["ended_at"] is None


async def test_an_employee_cannot_supervise_themselves(client: AsyncClient, world: World) -> None:
    unit = await world.unit()
    boss = await world.employee(unit)
    staff = await world.employee(unit, supervisor_id=boss["id"])
    response = await client.patch(
        f"/employees/{boss['id']}", json={"supervisor_id": staff["id"]}, headers=world.admin
    )
    assert response.status_code == 422


async def test_only_bkpsdm_creates_units(client: AsyncClient, world: World) -> None:
    for roles in (("employee",), ("supervisor",), ("analyst",), ("citizen",)):
        response = await client.post(
            "/units",
            json={"code": "X", "name": "X", "kind": "dinas"},
            headers=headers(world.settings, *roles, employee_id="e1"),
        )
        assert response.status_code == 403, roles
        assert response.headers["content-type"] == "application/problem+json"
    assert (
        await client.post("/units", json={"code": "X", "name": "X", "kind": "dinas"})
    ).status_code == 401


async def test_a_nul_character_is_a_problem_not_a_crash(client: AsyncClient, world: World) -> None:
    body = {"code": "NUL1", "name": "Bad\u0000Name", "kind": "dinas"}
    in_body = await client.post("/units", json=body, headers=world.admin)
    in_query = await client.get("/units", params={"q": "a\u0000"}, headers=world.admin)
    in_path = await client.get("/units/x%00y", headers=world.admin)
    for response in (in_body, in_query, in_path):
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
