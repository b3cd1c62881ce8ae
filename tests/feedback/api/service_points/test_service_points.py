"""Service points: managed by admins and unit heads, found by name, unit, distance and slug."""

from __future__ import annotations

from feedback.fixtures import (
    ADMIN,
    OTHER_HEAD,
    OTHER_UNIT,
    PREFIX,
    UNIT,
    UNIT_HEAD,
    create_point,
    token,
)
from httpx import AsyncClient


async def test_the_app_finds_a_point_by_its_qr_slug_with_unit_and_staff(
    client: AsyncClient,
) -> None:
    created = await create_point(client)
    found = await client.get(f"{PREFIX}/service-points/by-slug/lurah-dauh-puri")
    assert found.status_code == 200
    body = found.json()
    assert body["id"] == created["id"]
    assert body["unit_name"] == "Kelurahan Dauh Puri"
    assert body["staff"] == [{"staff_code": "DP-001"}]  # by public code, never by name
    assert (await client.get(f"{PREFIX}/service-points/by-slug/nope")).status_code == 404


async def test_search_by_name_unit_name_unit_and_distance(client: AsyncClient) -> None:
    await create_point(client)
    await create_point(
        client,
        name="SD Negeri 1 Dauh Puri",
        slug="sdn-1",
        kind="school",
        latitude=-8.6600,
        longitude=115.2150,
        staff_codes=[],
    )
    await client.post(
        f"{PREFIX}/service-points",
        json={
            "name": "Kantor Lurah Sanur",
            "unit_id": OTHER_UNIT,
            "latitude": -8.69,
            "longitude": 115.26,
        },
        headers=OTHER_HEAD,
    )
    by_name = (await client.get(f"{PREFIX}/service-points", params={"q": "sd negeri"})).json()
    assert [p["slug"] for p in by_name] == ["sdn-1"]
    by_unit_name = (await client.get(f"{PREFIX}/service-points", params={"q": "sanur"})).json()
    assert [p["name"] for p in by_unit_name] == ["Kantor Lurah Sanur"]
    by_unit = (await client.get(f"{PREFIX}/service-points", params={"unit_id": UNIT})).json()
    assert len(by_unit) == 2
    near = (
        await client.get(
            f"{PREFIX}/service-points", params={"lat": -8.6601, "lon": 115.2151, "radius_km": 2}
        )
    ).json()
    assert [p["slug"] for p in near] == ["sdn-1", "lurah-dauh-puri"]
    assert near[0]["distance_km"] < 0.05
    half = await client.get(f"{PREFIX}/service-points", params={"lat": -8.66})
    assert half.status_code == 422


async def test_only_admins_and_the_units_head_manage_points(client: AsyncClient) -> None:
    body = {"name": "Loket Perizinan", "unit_id": UNIT, "slug": "loket"}
    assert (await client.post(f"{PREFIX}/service-points", json=body)).status_code == 401
    supervisor = token(["supervisor"])
    assert (
        await client.post(f"{PREFIX}/service-points", json=body, headers=supervisor)
    ).status_code == 403
    assert (
        await client.post(f"{PREFIX}/service-points", json=body, headers=OTHER_HEAD)
    ).status_code == 403
    created = await client.post(f"{PREFIX}/service-points", json=body, headers=ADMIN)
    assert created.status_code == 201
    taken = await client.post(f"{PREFIX}/service-points", json=body, headers=UNIT_HEAD)
    assert taken.status_code == 409
    changed = await client.patch(
        f"{PREFIX}/service-points/{created.json()['id']}",
        json={"service_types": ["Izin Usaha"], "staff_codes": ["DP-002"]},
        headers=UNIT_HEAD,
    )
    assert changed.status_code == 200
    assert changed.json()["service_types"] == ["Izin Usaha"]


async def test_unknown_units_and_foreign_staff_are_refused(client: AsyncClient) -> None:
    unknown = await client.post(
        f"{PREFIX}/service-points", json={"name": "X", "unit_id": "nope"}, headers=ADMIN
    )
    assert unknown.status_code == 422
    foreign = await client.post(
        f"{PREFIX}/service-points",
        json={"name": "Loket", "unit_id": UNIT, "staff_codes": ["SN-001"]},
        headers=ADMIN,
    )
    assert foreign.status_code == 422
    assert foreign.json()["errors"][0]["field"] == "body.staff_codes"


async def test_the_survey_definition_has_the_nine_elements_with_labels(client: AsyncClient) -> None:
    survey = (await client.get(f"{PREFIX}/survey")).json()
    assert [e["code"] for e in survey["elements"]] == [f"U{i}" for i in range(1, 10)]
    u4 = survey["elements"][3]
    assert u4["unsur"] == "Biaya/tarif"
    assert [a["label"] for a in u4["answers"]] == ["sangat mahal", "cukup mahal", "murah", "gratis"]
    assert {o["value"] for o in survey["profile"]["sex"]} == {"L", "P"}


async def test_service_users_are_reported_by_the_units_staff(client: AsyncClient) -> None:
    body = {"unit_id": UNIT, "period_key": "2026-Q1", "service_users": 1200}
    assert (
        await client.put(f"{PREFIX}/service-users", json=body, headers=OTHER_HEAD)
    ).status_code == 403
    assert (
        await client.put(f"{PREFIX}/service-users", json=body, headers=UNIT_HEAD)
    ).status_code == 200
    body["service_users"] = 1300
    assert (
        await client.put(f"{PREFIX}/service-users", json=body, headers=UNIT_HEAD)
    ).status_code == 200
    bad = await client.put(
        f"{PREFIX}/service-users", json={**body, "period_key": "2026-Q5"}, headers=UNIT_HEAD
    )
    assert bad.status_code == 422
    listed = (await client.get(f"{PREFIX}/service-users", headers=UNIT_HEAD)).json()
    assert [(r["period_key"], r["service_users"]) for r in listed] == [("2026-Q1", 1300)]
