"""Periods: keys and spans, no overlap of the same kind, the state machine over HTTP."""

from __future__ import annotations

import pytest
from appraisal.helpers import World
from httpx import AsyncClient


async def test_a_quarter_gets_its_key_and_calendar_span(world: World) -> None:
    period = await world.period("quarterly", 2026, 2)
    assert (period["key"], period["starts_on"], period["ends_on"], period["state"]) == (
        "2026-Q2",
        "2026-04-01",
        "2026-06-30",
        "planning",
    )


async def test_the_annual_period_coexists_with_a_quarter_and_another_year_with_months(
    world: World,
) -> None:
    await world.period("quarterly", 2026, 1)
    monthly = await world.period("monthly", 2027, 2)
    annual = await world.period("annual", 2026)
    assert (monthly["key"], monthly["ends_on"]) == ("2027-02", "2027-02-28")
    assert annual["key"] == "2026"


@pytest.mark.parametrize(
    ("first", "second"),
    [(("monthly", 1), ("quarterly", 1)), (("quarterly", 4), ("monthly", 2))],
    ids=["a quarter after a month", "a month after a quarter"],
)
async def test_a_year_takes_monthly_or_quarterly_periods_not_both(
    client: AsyncClient, world: World, first: tuple[str, int], second: tuple[str, int]
) -> None:
    # Was 201: only periods of the same kind were checked for overlap, so 2026-01 and
    # 2026-Q1 both existed and the annual proposal later answered 500.
    existing = await world.period(first[0], 2026, first[1])
    response = await client.post(
        "/periods",
        json={"kind": second[0], "year": 2026, "number": second[1]},
        headers=world.admin,
    )
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["field"] == "body.kind"
    assert response.json()["conflicting_period_key"] == existing["key"]
    listed = await client.get("/periods", params={"year": 2026}, headers=world.admin)
    assert [p["key"] for p in listed.json()["items"]] == [existing["key"]]


async def test_an_overlapping_period_of_the_same_kind_is_refused(
    client: AsyncClient, world: World
) -> None:
    await world.period("monthly", 2026, 3)
    response = await client.post(
        "/periods",
        json={"kind": "monthly", "year": 2026, "number": 3},
        headers=world.admin,
    )
    assert response.status_code == 409
    assert "2026-03" in response.json()["detail"]


async def test_narrowed_dates_that_overlap_are_refused(client: AsyncClient, world: World) -> None:
    await world.period("annual", 2026)
    response = await client.post(
        "/periods", json={"kind": "annual", "year": 2026}, headers=world.admin
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "quarterly", "year": 2026},
        {"kind": "quarterly", "year": 2026, "number": 5},
        {"kind": "annual", "year": 2026, "number": 1},
        {"kind": "monthly", "year": 2026, "number": 13},
        {"kind": "monthly", "year": 2026, "number": 1, "starts_on": "2026-02-01"},
        {"kind": "weekly", "year": 2026, "number": 1},
        {"kind": "annual", "year": 2026, "extra": True},
    ],
)
async def test_bad_period_input_is_a_422_naming_the_field(
    client: AsyncClient, world: World, body: dict[str, object]
) -> None:
    response = await client.post("/periods", json=body, headers=world.admin)
    assert response.status_code == 422
    assert response.json()["errors"]
    listing = await client.get("/periods", headers=world.admin)
    assert listing.json()["total"] == 0


ILLEGAL = [
    ((), "begin-assessment"),
    ((), "close"),
    (("start",), "start"),
    (("start",), "close"),
    (("start", "begin-assessment"), "start"),
    (("start", "begin-assessment"), "begin-assessment"),
    (("start", "begin-assessment", "close"), "start"),
    (("start", "begin-assessment", "close"), "begin-assessment"),
    (("start", "begin-assessment", "close"), "close"),
]


@pytest.mark.parametrize(("done", "action"), ILLEGAL)
async def test_every_illegal_period_move_is_a_409(
    client: AsyncClient, world: World, done: tuple[str, ...], action: str
) -> None:
    period = await world.period()
    await world.advance(period, *done)
    response = await client.post(f"/periods/{period['id']}/{action}", headers=world.admin)
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "allowed actions" in response.json()["detail"]


async def test_a_period_with_draft_assessments_cannot_close(
    client: AsyncClient, world: World
) -> None:
    from appraisal.helpers import Team, ratings

    team = await Team.build(world)
    period = await world.period()
    await world.advance(period, "start", "begin-assessment")
    body = {"employee_id": team.a["id"], "period_id": period["id"], **ratings("sesuai")}
    await client.post("/assessments", json=body, headers=team.head(world, team.h))
    response = await client.post(f"/periods/{period['id']}/close", headers=world.admin)
    assert response.status_code == 409
    assert response.json()["draft_assessments"] == 1
