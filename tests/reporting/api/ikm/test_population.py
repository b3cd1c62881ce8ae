"""Population of a rolled-up unit and of a service point (docs/domain.md, reporting)."""

from __future__ import annotations

import httpx
from reporting.feeding import (
    Feeder,
    all_nine,
    feedback,
    service_point,
    service_users,
    unit,
)

URL = "/api/v1/reporting/ikm"
QUARTER = "2026-Q1"


async def _kecamatan(feeder: Feeder) -> None:
    """A kecamatan over two kelurahan, each with a service point; 80 respondents at k1."""
    await feeder.send(
        unit("kec"),
        unit("k1", "kec"),
        unit("k2", "kec"),
        service_point("sp1", "k1"),
        service_point("sp2", "k2"),
    )
    await feeder.send(*[feedback("sp1", "k1", all_nine(4)) for _ in range(80)])


async def _unit_sample(client: httpx.AsyncClient, headers: dict[str, str], unit_id: str) -> dict:
    response = await client.get(
        f"{URL}/units/{unit_id}", params={"period": QUARTER}, headers=headers
    )
    assert response.status_code == 200, response.text
    sample: dict = response.json()["sample"]
    return sample


async def test_a_roll_up_with_a_subunit_that_has_not_reported_its_service_users_is_unknown(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await _kecamatan(feeder)
    await feeder.send(service_users("k1", QUARTER, 100))
    unknown = {"service_users": None, "required": None, "respondents": 80, "state": "unknown"}
    assert await _unit_sample(client, analyst, "kec") == unknown
    listed = (await client.get(f"{URL}/units", params={"period": QUARTER}, headers=analyst)).json()
    assert {i["scope_id"]: i["sample"]["state"] for i in listed["items"]} == {
        "kec": "unknown",
        "k1": "adequate",
        "k2": "unknown",
    }


async def test_a_roll_up_is_judged_against_the_service_users_of_all_its_subunits(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await _kecamatan(feeder)
    await feeder.send(service_users("k1", QUARTER, 100), service_users("k2", QUARTER, 200))
    # N = 300 -> S = 169: the 80 respondents that were enough for k1 alone are not enough.
    inadequate = {"service_users": 300, "required": 169, "respondents": 80, "state": "inadequate"}
    assert await _unit_sample(client, analyst, "kec") == inadequate
    listed = (await client.get(f"{URL}/units", params={"period": QUARTER}, headers=analyst)).json()
    assert next(i for i in listed["items"] if i["scope_id"] == "kec")["sample"] == inadequate


async def test_a_subunit_without_service_points_or_respondents_does_not_make_a_roll_up_unknown(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await _kecamatan(feeder)
    await feeder.send(unit("sekretariat", "kec"))
    await feeder.send(service_users("k1", QUARTER, 100), service_users("k2", QUARTER, 200))
    assert (await _unit_sample(client, analyst, "kec"))["service_users"] == 300


async def test_a_subunit_with_respondents_but_no_known_service_point_must_report_too(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await _kecamatan(feeder)
    # Feedback can arrive before its service point's event.
    await feeder.send(unit("k3", "kec"), feedback("sp3", "k3", all_nine(3)))
    await feeder.send(service_users("k1", QUARTER, 100), service_users("k2", QUARTER, 200))
    assert (await _unit_sample(client, analyst, "kec"))["state"] == "unknown"


async def test_a_service_points_sample_is_not_judged_against_its_whole_units_service_users(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await _kecamatan(feeder)
    await feeder.send(service_users("k1", QUARTER, 100))
    not_assessable = {
        "service_users": None,
        "required": None,
        "respondents": 80,
        "state": "not_assessable",
    }
    point = (
        await client.get(f"{URL}/service-points/sp1", params={"period": QUARTER}, headers=analyst)
    ).json()
    assert point["sample"] == not_assessable
    listed = (
        await client.get(f"{URL}/service-points", params={"period": QUARTER}, headers=analyst)
    ).json()
    assert next(i for i in listed["items"] if i["scope_id"] == "sp1")["sample"] == not_assessable
