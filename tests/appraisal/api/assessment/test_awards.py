"""Award candidates: Sangat Baik in the last two annual periods (local policy)."""

from __future__ import annotations

from appraisal.helpers import Team, World, ratings
from httpx import AsyncClient


async def finalise_annual(
    client: AsyncClient, world: World, team: Team, year: int, best: set[str]
) -> None:
    """Run an annual period for the unit: `best` get Sangat Baik, the others Baik."""
    period = await world.period("annual", year)
    await world.advance(period, "start", "begin-assessment")
    await client.put(
        f"/periods/{period['id']}/units/{team.unit['id']}/organisation-predikat",
        json={"predikat": "istimewa"},
        headers=world.admin,
    )
    for who in ("a", "b", "c"):
        top = who in best
        body = {
            "employee_id": getattr(team, who)["id"],
            "period_id": period["id"],
            "hasil_note": "annual result",
            **ratings("di_atas" if top else "sesuai", "di_atas" if top else "sesuai"),
        }
        response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
        assert response.status_code == 201, response.text
    body = {"employee_id": team.h["id"], "period_id": period["id"], **ratings(None)}
    await client.post("/assessments", json=body, headers=team.head(world, team.s))
    response = await client.post(
        f"/periods/{period['id']}/units/{team.unit['id']}/finalize", headers=world.admin
    )
    assert response.status_code == 200, response.text


async def test_only_two_years_of_sangat_baik_make_an_award_candidate(
    client: AsyncClient, world: World
) -> None:
    team = await Team.build(world)
    await finalise_annual(client, world, team, 2025, best={"a"})
    await finalise_annual(client, world, team, 2026, best={"a", "b"})
    response = await client.get("/award-candidates", params={"year": 2026}, headers=world.admin)
    assert response.json() == {"employee_ids": [team.a["id"]]}
    one_year = await client.get("/award-candidates", params={"year": 2025}, headers=world.admin)
    assert one_year.json() == {"employee_ids": []}
    refused = await client.get(
        "/award-candidates", params={"year": 2026}, headers=world.as_employee(team.a)
    )
    assert refused.status_code == 403


async def test_a_year_without_an_annual_appraisal_breaks_the_run_as_reporting_counts_it(
    client: AsyncClient, world: World
) -> None:
    # The same history as reporting's test_award_candidates_need_consecutive_years_as_
    # appraisal_counts_them (tests/reporting/api/performance/test_performance.py): both say
    # no, then yes.
    team = await Team.build(world)
    await finalise_annual(client, world, team, 2023, best={"a"})
    await finalise_annual(client, world, team, 2025, best={"a"})
    response = await client.get("/award-candidates", params={"year": 2025}, headers=world.admin)
    assert response.json() == {"employee_ids": []}
    await finalise_annual(client, world, team, 2024, best={"a"})
    response = await client.get("/award-candidates", params={"year": 2025}, headers=world.admin)
    assert response.json() == {"employee_ids": [team.a["id"]]}
